// The OpenAPI component schemas k8ts knows, keyed by upstream name
// (`io.k8s.api.apps.v1.Deployment`), and the lookups the document builder and the field validator
// share. The built-in set is generated from kubernetes-types by scripts/generate-openapi.ts.
import type { GroupVersionKind } from '../../api/object.js';
import generated from './generated/schemas.json' with { type: 'json' };

/** One schema object; kept as open JSON because it is served verbatim. */
export type OpenApiSchema = { readonly [key: string]: unknown };

export type ComponentSchemas = Readonly<Record<string, OpenApiSchema>>;

// Widened on purpose: the JSON literal type is huge and of no use to callers.
export const BUILTIN_SCHEMAS: ComponentSchemas = generated;

const REF_PREFIX = '#/components/schemas/';

/** The component name a `$ref` points at, or undefined for anything else. */
export function refTarget(ref: unknown): string | undefined {
  return typeof ref === 'string' && ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : undefined;
}

/** The component a property schema points at, directly (`$ref`) or upstream-style (`allOf: [{$ref}]`). */
export function referencedName(schema: OpenApiSchema): string | undefined {
  const direct = refTarget(schema.$ref);
  if (direct !== undefined) return direct;
  const allOf = schema.allOf;
  if (Array.isArray(allOf) && allOf.length === 1) return refTarget((allOf[0] as OpenApiSchema).$ref);
  return undefined;
}

function gvkKey(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}/${gvk.kind}`;
}

/** Maps each group/version/kind to the component whose `x-kubernetes-group-version-kind` names it. */
export function indexByGroupVersionKind(schemas: ComponentSchemas): (gvk: GroupVersionKind) => string | undefined {
  const index = new Map<string, string>();
  for (const [name, schema] of Object.entries(schemas)) {
    const gvks = schema['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks)) continue;
    for (const gvk of gvks as GroupVersionKind[]) index.set(gvkKey(gvk), name);
  }
  return (gvk) => index.get(gvkKey(gvk));
}

/** Every component reachable from `roots` through `$ref`s, roots included, in sorted order. */
export function closureOf(schemas: ComponentSchemas, roots: Iterable<string>): string[] {
  const seen = new Set<string>();
  const pending = [...roots];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const schema = schemas[name];
    if (seen.has(name) || schema === undefined) continue;
    seen.add(name);
    collectRefs(schema, pending);
  }
  return [...seen].sort();
}

function collectRefs(value: unknown, into: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const target = key === '$ref' ? refTarget(inner) : undefined;
      if (target !== undefined) into.push(target);
      else collectRefs(inner, into);
    }
  }
}

// Derives the OpenAPI v3 component schemas k8ts serves from the `kubernetes-types` package, so
// `kubectl explain` and strict field validation see upstream's field names, descriptions and
// required lists without anyone writing a schema by hand.
//
// Run: node --import tsx scripts/generate-openapi.ts   (writes src/apiserver/openapi/generated/schemas.json)
// The test src/apiserver/openapi/generated-schemas.test.ts regenerates in memory and fails when the
// committed file is stale, so the JSON is always derived, never edited.
//
// Only the .d.ts syntax is read (no type checker): every declaration there is an interface or a
// type alias, and the few shapes used in properties are mapped below.
//
// Kinds that kubernetes-types lacks (the Gateway API, later argoproj.io Rollouts) are written as
// TypeScript files under src/api/ in the same style and read the same way: their modules are
// named `k8ts/<path under src/api>` (OWN_MODULE_PREFIX) and their schema package comes from
// OWN_PACKAGES. See src/api/gateway/README.md.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { fieldMetaOf, rootTypeFor, type ObjectType } from '../src/api/patch-meta.js';
import type { GroupVersionKind } from '../src/api/object.js';

/** A schema object of the generated document (a JSON value, kept loose on purpose). */
export type JsonSchema = { [key: string]: unknown };

/** A type to start the closure from: its kubernetes-types module (`apps/v1`) and its name. */
export interface SchemaRoot {
  readonly module: string;
  readonly name: string;
}

function roots(module: string, ...names: string[]): SchemaRoot[] {
  return names.map((name) => ({ module, name }));
}

/**
 * The served kinds (with their lists), the subresource kinds, and the meta types the API paths
 * use. Adding a built-in kind to k8ts means adding it here and regenerating.
 */
export const SCHEMA_ROOTS: readonly SchemaRoot[] = [
  ...roots('core/v1', 'Namespace', 'NamespaceList', 'Pod', 'PodList', 'Node', 'NodeList', 'Service', 'ServiceList',
    'Endpoints', 'EndpointsList', 'ConfigMap', 'ConfigMapList', 'Secret', 'SecretList',
    'ServiceAccount', 'ServiceAccountList', 'Event', 'EventList'),
  ...roots('apps/v1', 'Deployment', 'DeploymentList', 'ReplicaSet', 'ReplicaSetList', 'DaemonSet', 'DaemonSetList',
    'StatefulSet', 'StatefulSetList', 'ControllerRevision', 'ControllerRevisionList'),
  ...roots('batch/v1', 'Job', 'JobList', 'CronJob', 'CronJobList'),
  ...roots('coordination/v1', 'Lease', 'LeaseList'),
  ...roots('policy/v1', 'PodDisruptionBudget', 'PodDisruptionBudgetList', 'Eviction'),
  ...roots('scheduling/v1', 'PriorityClass', 'PriorityClassList'),
  ...roots('events/v1', 'Event', 'EventList'),
  ...roots('discovery/v1', 'EndpointSlice', 'EndpointSliceList'),
  ...roots('autoscaling/v1', 'Scale', 'HorizontalPodAutoscaler', 'HorizontalPodAutoscalerList'),
  ...roots('autoscaling/v2', 'HorizontalPodAutoscaler', 'HorizontalPodAutoscalerList'),
  ...roots('k8ts/gateway/v1/gateway-class', 'GatewayClass', 'GatewayClassList'),
  ...roots('k8ts/gateway/v1/gateway', 'Gateway', 'GatewayList'),
  ...roots('k8ts/gateway/v1/http-route', 'HTTPRoute', 'HTTPRouteList'),
  ...roots('k8ts/gateway/v1/reference-grant', 'ReferenceGrant', 'ReferenceGrantList'),
  ...roots('k8ts/rollouts/v1alpha1/rollout', 'Rollout', 'RolloutList'),
  ...roots('k8ts/rollouts/v1alpha1/analysis-template', 'AnalysisTemplate', 'AnalysisTemplateList',
    'ClusterAnalysisTemplate', 'ClusterAnalysisTemplateList'),
  ...roots('k8ts/rollouts/v1alpha1/analysis-run', 'AnalysisRun', 'AnalysisRunList'),
  ...roots('meta/v1', 'ObjectMeta', 'ListMeta', 'Status', 'DeleteOptions', 'WatchEvent', 'Patch', 'APIResourceList'),
];

/** Modules named `k8ts/<path>` are our own files `src/api/<path>.ts` rather than kubernetes-types. */
export const OWN_MODULE_PREFIX = 'k8ts/';

/**
 * Upstream schema package of each directory of our own type files. For CRD-defined kinds upstream
 * names components by the reversed group: gateway.networking.k8s.io/v1 -> io.k8s.networking.gateway.v1.
 */
const OWN_PACKAGES: Readonly<Record<string, string>> = {
  'k8ts/gateway/v1': 'io.k8s.networking.gateway.v1',
  'k8ts/rollouts/v1alpha1': 'io.argoproj.v1alpha1',
};

/** Upstream package prefix for a kubernetes-types module that is not `io.k8s.api.<group>.<version>`. */
const PACKAGE_OF_MODULE: Readonly<Record<string, string>> = {
  'meta/v1': 'io.k8s.apimachinery.pkg.apis.meta.v1',
  'api/resource': 'io.k8s.apimachinery.pkg.api.resource',
  runtime: 'io.k8s.apimachinery.pkg.runtime',
  version: 'io.k8s.apimachinery.pkg.version',
  'apiextensions/v1': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1',
};

/** kubernetes-types inlines IntOrString as `number | string`; upstream names it. */
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** Facts the .d.ts files lose: the wire format of string aliases. */
const ALIAS_FORMAT: Readonly<Record<string, string>> = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': 'date-time',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': 'date-time',
  'io.k8s.apimachinery.pkg.api.resource.Quantity': 'quantity',
};

export function schemaNameOf(module: string, name: string): string {
  if (module.startsWith(OWN_MODULE_PREFIX)) {
    const ownPackage = OWN_PACKAGES[posix.dirname(module)];
    if (ownPackage === undefined) throw new Error(`no schema package for ${module}: add its directory to OWN_PACKAGES`);
    return `${ownPackage}.${name}`;
  }
  return `${PACKAGE_OF_MODULE[module] ?? `io.k8s.api.${module.replace('/', '.')}`}.${name}`;
}

function ref(name: string): JsonSchema {
  return { $ref: `#/components/schemas/${name}` };
}

interface ParsedModule {
  readonly declarations: ReadonlyMap<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>;
  /** Imported name -> module it comes from (`ObjectMeta` -> `meta/v1`). */
  readonly imports: ReadonlyMap<string, string>;
}

function typesDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('kubernetes-types/package.json'));
}

const OWN_TYPES_DIR = fileURLToPath(new URL('../src/api/', import.meta.url));

/** The module an import specifier names: `kubernetes-types/meta/v1.js` -> `meta/v1`; relative ones resolved. */
function importedModule(module: string, specifier: string): string {
  const bare = specifier.replace(/\.js$/, '');
  if (bare.startsWith('kubernetes-types/')) return bare.slice('kubernetes-types/'.length);
  return posix.normalize(posix.join(posix.dirname(module), bare));
}

function parseModule(dir: string, module: string): ParsedModule {
  const file = module.startsWith(OWN_MODULE_PREFIX)
    ? join(OWN_TYPES_DIR, `${module.slice(OWN_MODULE_PREFIX.length)}.ts`)
    : join(dir, `${module}.d.ts`);
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const declarations = new Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>();
  const imports = new Map<string, string>();
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
      declarations.set(statement.name.text, statement);
    } else if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const from = importedModule(module, statement.moduleSpecifier.text);
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) imports.set(element.name.text, from);
      }
    }
  }
  return { declarations, imports };
}

function docOf(node: ts.Node): string | undefined {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const text = docs.map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '').join('\n').trim();
  return text === '' ? undefined : text;
}

/** `apps/v1` -> {group: apps, version: v1}; `v1` -> core. */
function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function literalOf(type: ts.TypeNode | undefined): string | undefined {
  return type && ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal) ? type.literal.text : undefined;
}

/**
 * A union of string literals (`'Exact' | 'PathPrefix'`) or of integer literals (`301 | 302`) is an
 * enum, as upstream's CRD schemas declare it. kubernetes-types has none; our own types use them.
 */
function enumOf(type: ts.TypeNode): JsonSchema | undefined {
  if (!ts.isUnionTypeNode(type)) return undefined;
  const literals = type.types.map((t) => (ts.isLiteralTypeNode(t) ? t.literal : undefined));
  if (literals.every((l) => l !== undefined && ts.isStringLiteral(l))) {
    return { type: 'string', enum: literals.map((l) => l.text) };
  }
  if (literals.every((l) => l !== undefined && ts.isNumericLiteral(l))) {
    return { type: 'integer', enum: literals.map((l) => Number(l.text)) };
  }
  return undefined;
}

class SchemaGenerator {
  readonly #dir: string;
  readonly #modules = new Map<string, ParsedModule>();
  readonly #schemas: Record<string, JsonSchema> = {};
  readonly #pending: SchemaRoot[] = [];

  constructor(options: { typesDir: string }) {
    this.#dir = options.typesDir;
  }

  run(rootsToVisit: readonly SchemaRoot[]): Record<string, JsonSchema> {
    for (const root of rootsToVisit) this.#enqueue(root.module, root.name);
    for (let next = this.#pending.shift(); next; next = this.#pending.shift()) {
      this.#schemas[schemaNameOf(next.module, next.name)] = this.#declaration(next.module, next.name);
    }
    return this.#schemas;
  }

  #module(module: string): ParsedModule {
    let parsed = this.#modules.get(module);
    if (!parsed) {
      parsed = parseModule(this.#dir, module);
      this.#modules.set(module, parsed);
    }
    return parsed;
  }

  /** Queues a type once; returns its component name. */
  #enqueue(module: string, name: string): string {
    const schemaName = schemaNameOf(module, name);
    if (!(schemaName in this.#schemas)) {
      this.#schemas[schemaName] = {}; // placeholder: marks it seen, filled when dequeued
      this.#pending.push({ module, name });
    }
    return schemaName;
  }

  #declaration(module: string, name: string): JsonSchema {
    const node = this.#module(module).declarations.get(name);
    if (!node) throw new Error(`kubernetes-types/${module} has no declaration ${name}`);
    const description = docOf(node);
    const schema: JsonSchema = description === undefined ? {} : { description };
    if (ts.isTypeAliasDeclaration(node)) {
      Object.assign(schema, this.#type(module, node.type));
      const format = ALIAS_FORMAT[schemaNameOf(module, name)];
      if (format !== undefined) schema.format = format;
      // Quantities are accepted as JSON numbers too; upstream's v3 schema says so with oneOf.
      if (format === 'quantity') {
        delete schema.type;
        schema.oneOf = [{ type: 'string' }, { type: 'number' }];
      }
      return schema;
    }
    schema.type = 'object';
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    let apiVersion: string | undefined;
    let kind: string | undefined;
    for (const member of node.members) {
      if (!ts.isPropertySignature(member) || !member.type) throw new Error(`${module}.${name}: unsupported member`);
      const field = member.name.getText();
      if (field === 'apiVersion') apiVersion = literalOf(member.type);
      if (field === 'kind') kind = literalOf(member.type);
      const fieldDoc = docOf(member);
      const fieldSchema = this.#type(module, member.type);
      // OpenAPI 3.0 ignores siblings of $ref, so upstream wraps a described reference in allOf.
      properties[field] = '$ref' in fieldSchema
        ? { allOf: [fieldSchema], ...(fieldDoc === undefined ? {} : { description: fieldDoc }) }
        : { ...fieldSchema, ...(fieldDoc === undefined ? {} : { description: fieldDoc }) };
      if (!member.questionToken) required.push(field);
    }
    if (Object.keys(properties).length > 0) schema.properties = properties;
    if (required.length > 0) schema.required = required.sort();
    // Top-level kinds are recognisable by their literal apiVersion and kind.
    if (apiVersion !== undefined && kind !== undefined) {
      schema['x-kubernetes-group-version-kind'] = [{ ...splitApiVersion(apiVersion), kind }];
    }
    return schema;
  }

  #type(module: string, type: ts.TypeNode): JsonSchema {
    switch (type.kind) {
      case ts.SyntaxKind.StringKeyword: return { type: 'string' };
      // kubernetes-types erases int32/int64/float64 to number; the served kinds only use integers.
      case ts.SyntaxKind.NumberKeyword: return { type: 'integer' };
      case ts.SyntaxKind.BooleanKeyword: return { type: 'boolean' };
      // Our own types write `unknown` for an opaque JSON object that upstream's CRD keeps whole
      // (json.RawMessage, plugin configs): any fields are accepted and stored as given.
      case ts.SyntaxKind.UnknownKeyword: return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
      default: break;
    }
    if (ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal)) return { type: 'string' };
    const enumSchema = enumOf(type);
    if (enumSchema !== undefined) return enumSchema;
    if (ts.isUnionTypeNode(type)) {
      const kinds = type.types.map((t) => t.kind).sort();
      if (kinds.length === 2 && kinds[0] === ts.SyntaxKind.NumberKeyword && kinds[1] === ts.SyntaxKind.StringKeyword) {
        return ref(INT_OR_STRING);
      }
    }
    if (ts.isArrayTypeNode(type)) return { type: 'array', items: this.#type(module, type.elementType) };
    if (ts.isTypeLiteralNode(type)) {
      const index = type.members.length === 1 ? type.members[0] : undefined;
      if (index && ts.isIndexSignatureDeclaration(index)) {
        return { type: 'object', additionalProperties: this.#type(module, index.type) };
      }
    }
    if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
      const name = type.typeName.text;
      const [element] = type.typeArguments ?? [];
      if (name === 'Array' && element) return { type: 'array', items: this.#type(module, element) };
      const parsed = this.#module(module);
      const from = parsed.declarations.has(name) ? module : parsed.imports.get(name);
      // An enum alias (`PathMatchType`) is inlined where it is used, as in upstream's CRD schemas.
      const target = from === undefined ? undefined : this.#module(from).declarations.get(name);
      const inlined = target !== undefined && ts.isTypeAliasDeclaration(target) ? enumOf(target.type) : undefined;
      if (inlined !== undefined) return inlined;
      if (from !== undefined) return ref(this.#enqueue(from, name));
    }
    throw new Error(`kubernetes-types/${module}: unsupported type ${type.getText()}`);
  }
}

const INT_OR_STRING_SCHEMA: JsonSchema = {
  description: 'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
  // Upstream's v3 shape (oneOf, no top-level type) makes `kubectl explain` print <IntOrString>.
  oneOf: [{ type: 'integer' }, { type: 'string' }],
  format: 'int-or-string',
  'x-kubernetes-int-or-string': true,
};

/** The component a property (or its list items) refers to. */
function componentOf(property: JsonSchema): string | undefined {
  const target = property.items === undefined ? property : (property.items as JsonSchema);
  const direct = (target.allOf as JsonSchema[] | undefined)?.[0]?.$ref ?? target.$ref;
  return typeof direct === 'string' ? direct.replace('#/components/schemas/', '') : undefined;
}

/**
 * Copies the strategic-merge tags of src/api/patch-meta.ts onto the properties they belong to
 * (upstream's `x-kubernetes-patch-merge-key` / `x-kubernetes-patch-strategy`). The table is keyed by
 * kind and path, the schemas by type; a shared type (PodSpec) gets the same tags from every kind.
 */
function annotatePatchMeta(schemas: Record<string, JsonSchema>): void {
  const visit = (schemaName: string, type: ObjectType): void => {
    const properties = schemas[schemaName]?.properties as Record<string, JsonSchema> | undefined;
    if (properties === undefined) return;
    for (const field of Object.keys(type.fields)) {
      const meta = fieldMetaOf(type, field);
      const property = properties[field];
      if (meta === undefined || property === undefined) continue;
      if (meta.mergeKey !== undefined) property['x-kubernetes-patch-merge-key'] = meta.mergeKey;
      if (meta.strategy !== undefined) property['x-kubernetes-patch-strategy'] = meta.strategy;
      const next = componentOf(property);
      if (meta.type !== undefined && next !== undefined) visit(next, meta.type);
    }
  };
  for (const [name, schema] of Object.entries(schemas)) {
    const gvks = (schema['x-kubernetes-group-version-kind'] ?? []) as GroupVersionKind[];
    for (const gvk of gvks) {
      const type = rootTypeFor(gvk);
      if (type !== undefined) visit(name, type);
    }
  }
}

/** Builds the component schema map for `rootsToVisit` and everything they reference. */
export function generateSchemas(rootsToVisit: readonly SchemaRoot[] = SCHEMA_ROOTS): Record<string, JsonSchema> {
  const schemas = new SchemaGenerator({ typesDir: typesDir() }).run(rootsToVisit);
  const usesIntOrString = JSON.stringify(schemas).includes(`/${INT_OR_STRING}"`);
  if (usesIntOrString) schemas[INT_OR_STRING] = INT_OR_STRING_SCHEMA;
  annotatePatchMeta(schemas);
  return schemas;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** The exact text of the committed file: sorted keys, 1-space indent, trailing newline. */
export function renderSchemas(schemas: Record<string, JsonSchema>): string {
  return `${JSON.stringify(sortKeys(schemas), null, 1)}\n`;
}

export const SCHEMAS_FILE = fileURLToPath(new URL('../src/apiserver/openapi/generated/schemas.json', import.meta.url));

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(dirname(SCHEMAS_FILE), { recursive: true });
  const schemas = generateSchemas();
  writeFileSync(SCHEMAS_FILE, renderSchemas(schemas));
  console.log(`wrote ${Object.keys(schemas).length} schemas to ${SCHEMAS_FILE}`);
}

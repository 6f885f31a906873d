// Server-side strict field validation. kubectl 1.32 delegates validation to the server (it sends
// `fieldValidation=Strict` once the OpenAPI PATCH operation advertises that parameter), so the
// server must find fields the schema does not know and report them as upstream does:
//   strict decoding error: unknown field "spec.foo", unknown field "spec.template.spec.containers[0].imagee"
// The walk uses the same component schemas that are served for `kubectl explain`.
import type { GroupVersionKind } from '../../api/object.js';
import {
  BUILTIN_SCHEMAS, indexByGroupVersionKind, referencedName, type ComponentSchemas, type OpenApiSchema,
} from './component-schemas.js';

export interface FieldValidatorOptions {
  /** Defaults to the schemas generated from kubernetes-types. */
  readonly schemas?: ComponentSchemas;
}

/** A field whose JSON type cannot be decoded into the schema's type. */
export interface FieldTypeError {
  readonly path: string;
  /** The schema type: `string`, `integer`, `boolean`, `object`, `array`, `int-or-string`, `string|number`. */
  readonly expected: string;
  /** The JSON type found: `string`, `number`, `boolean`, `object`, `array`. */
  readonly actual: string;
  /** The found type as OpenAPI schema validation names it: `integer` for a whole number. */
  readonly found: string;
  /**
   * What upstream's Go decoder names: the struct owning the field and the field's path without list
   * indices or map keys (`ObjectMeta.metadata.labels`), the Go type it decodes into
   * (`map[string]string`, `[]v1.Container`, `int32`; see #goType for what is approximated) and
   * the JSON value (`number`, `bool`, ...; `number 1.5` for a fraction where an integer belongs).
   */
  readonly go: { readonly field: string; readonly type: string; readonly value: string };
}

/** Both findings of one walk. */
export interface BodyFindings {
  readonly unknown: readonly string[];
  readonly wrongType: readonly FieldTypeError[];
}

interface Findings {
  readonly unknown: string[];
  readonly wrongType: FieldTypeError[];
}

function jsonTypeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Where the walk is, as a chain of steps; printed only when a finding needs it, since almost every
 * object has no findings and building a string per visited field dominated the walk.
 */
interface PathStep {
  readonly parent: PathStep | undefined;
  /** A field name, or a list index. */
  readonly at: string | number;
  /** For a struct field (not a map key): the object schema declaring it, to name its Go struct. */
  readonly owner?: OpenApiSchema;
}

/** The path the way upstream's decoder prints it: `spec.containers[0].image`. */
function formatPath(step: PathStep | undefined): string {
  if (step === undefined) return '';
  const prefix = formatPath(step.parent);
  if (typeof step.at === 'number') return `${prefix}[${step.at}]`;
  return prefix === '' ? step.at : `${prefix}.${step.at}`;
}

export class FieldValidator {
  readonly #schemas: ComponentSchemas;
  readonly #schemaFor: (gvk: GroupVersionKind) => string | undefined;
  /** #resolve's answers: the schemas never change, and every write walks the same ones. */
  readonly #resolved = new WeakMap<OpenApiSchema, OpenApiSchema>();
  /** Component schema -> its name; built on the first type error (they are rare). */
  #names: Map<OpenApiSchema, string> | undefined;

  constructor(options: FieldValidatorOptions = {}) {
    this.#schemas = options.schemas ?? BUILTIN_SCHEMAS;
    this.#schemaFor = indexByGroupVersionKind(this.#schemas);
  }

  /**
   * Whether upstream decodes `gvk` into Go structs (built-in kinds: a wrong type is a 400 decode
   * error) rather than validating it as a custom resource against its schema (a 422).
   */
  decodesTyped(gvk: GroupVersionKind): boolean {
    const name = this.#schemaFor(gvk);
    return name !== undefined && (name.startsWith('io.k8s.api.') || name.startsWith('io.k8s.apimachinery.'));
  }

  /** Unknown fields and wrongly typed fields in one walk (what a write needs). */
  findings(gvk: GroupVersionKind, obj: unknown): BodyFindings {
    return this.#check(gvk, obj);
  }

  /** Whether a schema is known for `gvk`; for other kinds validation is skipped. */
  knows(gvk: GroupVersionKind): boolean {
    return this.#schemaFor(gvk) !== undefined;
  }

  /**
   * Paths of every field of `obj` that the schema of `gvk` does not declare, in document order,
   * e.g. `spec.foo`, `spec.template.spec.containers[0].imagee`. Free-form maps (labels, data)
   * accept any key. Unknown kinds yield [].
   */
  unknownFields(gvk: GroupVersionKind, obj: unknown): string[] {
    return this.#check(gvk, obj).unknown;
  }

  /**
   * Fields whose JSON type cannot be decoded into the declared type (a string where an integer
   * belongs, ...). Upstream rejects these regardless of fieldValidation (a decode error).
   */
  typeErrors(gvk: GroupVersionKind, obj: unknown): FieldTypeError[] {
    return this.#check(gvk, obj).wrongType;
  }

  #check(gvk: GroupVersionKind, obj: unknown): Findings {
    const findings: Findings = { unknown: [], wrongType: [] };
    const name = this.#schemaFor(gvk);
    if (name !== undefined) this.#walk(this.#schemas[name] ?? {}, obj, undefined, findings);
    return findings;
  }

  /** The Go type a (possibly `$ref`) schema decodes into, as reflect prints it. */
  #goType(schemaOrRef: OpenApiSchema, field: string | number | undefined): string {
    const name = referencedName(schemaOrRef);
    if (name !== undefined) return goNameOfComponent(name);
    const schema = this.#resolve(schemaOrRef);
    const named = this.#nameOf(schema);
    if (named !== undefined) return goNameOfComponent(named);
    if (schema['x-kubernetes-int-or-string'] === true) return 'intstr.IntOrString';
    if (schema.format === 'quantity') return 'resource.Quantity';
    switch (schema.type) {
      case 'string': return schema.format === 'byte' ? '[]uint8' : 'string';
      case 'integer': return typeof field === 'string' && INT64_FIELDS.has(field) ? 'int64' : 'int32';
      case 'number': return 'float64';
      case 'boolean': return 'bool';
      case 'array': return `[]${this.#goType((schema.items as OpenApiSchema | undefined) ?? {}, undefined)}`;
      case 'object': {
        const additional = schema.additionalProperties;
        if (typeof additional === 'object' && additional !== null) return `map[string]${this.#goType(additional as OpenApiSchema, undefined)}`;
        return 'map[string]interface {}';
      }
      default: return 'interface {}';
    }
  }

  #nameOf(schema: OpenApiSchema): string | undefined {
    if (this.#names === undefined) {
      this.#names = new Map();
      for (const [name, component] of Object.entries(this.#schemas)) this.#names.set(component, name);
    }
    return this.#names.get(schema);
  }

  #wrongType(findings: Findings, path: PathStep | undefined, schema: OpenApiSchema, expected: string, value: unknown): void {
    const actual = jsonTypeOf(value);
    // Go's decoder names JSON values this way; a fraction for an integer is `number 1.5`.
    let goValue = actual === 'boolean' ? 'bool' : actual;
    if (expected === 'integer' && typeof value === 'number') goValue = `number ${String(value)}`;
    // Upstream's decoder tracks struct fields only: list indices and map keys are not in its path.
    const fields: string[] = [];
    let owner: OpenApiSchema | undefined;
    let field: string | number | undefined;
    for (let step = path; step !== undefined; step = step.parent) {
      if (step.owner === undefined) continue;
      fields.unshift(String(step.at));
      owner ??= step.owner;
      field ??= step.at;
    }
    const ownerName = owner === undefined ? undefined : this.#nameOf(owner);
    const struct = ownerName === undefined ? '' : `${shortName(ownerName)}.`;
    // `schema` is the innermost one: a map value or list item names the element type, as Go does.
    findings.wrongType.push({
      path: formatPath(path), expected, actual, found: actual === 'number' && Number.isInteger(value) ? 'integer' : actual,
      go: { field: `${struct}${fields.join('.')}`, type: this.#goType(schema, field), value: goValue },
    });
  }

  /** Follows `$ref` / `allOf: [{$ref}]` to the schema that has the structure. */
  #resolve(schema: OpenApiSchema): OpenApiSchema {
    const known = this.#resolved.get(schema);
    if (known !== undefined) return known;
    let current = schema;
    for (let name = referencedName(current); name !== undefined; name = referencedName(current)) {
      const target = this.#schemas[name];
      if (target === undefined) {
        current = {};
        break;
      }
      current = target;
    }
    this.#resolved.set(schema, current);
    return current;
  }

  #walk(schemaOrRef: OpenApiSchema, value: unknown, path: PathStep | undefined, findings: Findings): void {
    // JSON null decodes to the zero value of any field, so it is never an error.
    if (value === null || value === undefined) return;
    const schema = this.#resolve(schemaOrRef);
    if (schema['x-kubernetes-int-or-string'] === true) {
      const actual = jsonTypeOf(value);
      if (actual !== 'string' && actual !== 'number') this.#wrongType(findings, path, schemaOrRef, 'int-or-string', value);
      return;
    }
    if (Array.isArray(schema.oneOf)) {
      // Quantity: a string or a number, no top-level type.
      const actual = jsonTypeOf(value);
      const alternatives = (schema.oneOf as OpenApiSchema[]).map((s) => (s.type === 'integer' ? 'number' : s.type));
      if (!alternatives.includes(actual)) this.#wrongType(findings, path, schemaOrRef, alternatives.join('|'), value);
      return;
    }
    switch (schema.type) {
      case 'string':
        if (typeof value !== 'string') this.#wrongType(findings, path, schemaOrRef, 'string', value);
        return;
      case 'integer':
        if (typeof value !== 'number' || !Number.isInteger(value)) this.#wrongType(findings, path, schemaOrRef, 'integer', value);
        return;
      case 'number':
        if (typeof value !== 'number') this.#wrongType(findings, path, schemaOrRef, 'number', value);
        return;
      case 'boolean':
        if (typeof value !== 'boolean') this.#wrongType(findings, path, schemaOrRef, 'boolean', value);
        return;
      case 'array': {
        if (!Array.isArray(value)) return this.#wrongType(findings, path, schemaOrRef, 'array', value);
        const items = schema.items as OpenApiSchema | undefined;
        if (items) for (let i = 0; i < value.length; i++) this.#walk(items, value[i], { parent: path, at: i }, findings);
        return;
      }
      case 'object':
        if (!isPlainObject(value)) return this.#wrongType(findings, path, schemaOrRef, 'object', value);
        this.#walkObject(schema, value, path, findings);
        return;
      default:
        return; // no type: anything goes
    }
  }

  #walkObject(schema: OpenApiSchema, value: Record<string, unknown>, path: PathStep | undefined, findings: Findings): void {
    const properties = schema.properties as Record<string, OpenApiSchema> | undefined;
    const additional = schema.additionalProperties as OpenApiSchema | boolean | undefined;
    if (properties === undefined) {
      if (typeof additional === 'object') {
        for (const key in value) this.#walk(additional, value[key], { parent: path, at: key }, findings);
      }
      // No properties and no value schema (FieldsV1, RawExtension): opaque JSON, never unknown.
      return;
    }
    for (const key in value) {
      const fieldSchema = Object.hasOwn(properties, key) ? properties[key] : undefined;
      if (fieldSchema === undefined) findings.unknown.push(formatPath({ parent: path, at: key }));
      else this.#walk(fieldSchema, value[key], { parent: path, at: key, owner: schema }, findings);
    }
  }
}

/**
 * Integer fields that are int64 in the Go types (the schemas, made from TypeScript types, do not
 * say); every other integer is named int32, which is right for almost all of them.
 */
const INT64_FIELDS = new Set([
  'activeDeadlineSeconds', 'deletionGracePeriodSeconds', 'expirationSeconds', 'fsGroup', 'generation', 'gracePeriodSeconds',
  'observedGeneration', 'revision', 'runAsGroup', 'runAsUser', 'supplementalGroups', 'terminationGracePeriodSeconds', 'tolerationSeconds',
]);

/** `io.k8s.api.core.v1.Container` -> `Container`. */
function shortName(component: string): string {
  return component.slice(component.lastIndexOf('.') + 1);
}

/** `io.k8s.api.core.v1.Container` -> `v1.Container` (Go package name, then type), as reflect prints it. */
function goNameOfComponent(component: string): string {
  const parts = component.split('.');
  return parts.slice(-2).join('.');
}

/** Upstream's Strict-mode message: `strict decoding error: unknown field "a", unknown field "b"`. */
export function strictDecodingMessage(paths: readonly string[]): string {
  return `strict decoding error: ${paths.map((path) => `unknown field "${path}"`).join(', ')}`;
}

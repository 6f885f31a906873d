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

/** Joins a field name onto a path the way upstream's decoder prints it (`spec.replicas`). */
function child(path: string, field: string): string {
  return path === '' ? field : `${path}.${field}`;
}

export class FieldValidator {
  readonly #schemas: ComponentSchemas;
  readonly #schemaFor: (gvk: GroupVersionKind) => string | undefined;

  constructor(options: FieldValidatorOptions = {}) {
    this.#schemas = options.schemas ?? BUILTIN_SCHEMAS;
    this.#schemaFor = indexByGroupVersionKind(this.#schemas);
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
    if (name !== undefined) this.#walk(this.#schemas[name] ?? {}, obj, '', findings);
    return findings;
  }

  /** Follows `$ref` / `allOf: [{$ref}]` to the schema that has the structure. */
  #resolve(schema: OpenApiSchema): OpenApiSchema {
    let current = schema;
    for (let name = referencedName(current); name !== undefined; name = referencedName(current)) {
      const target = this.#schemas[name];
      if (target === undefined) return {};
      current = target;
    }
    return current;
  }

  #walk(schemaOrRef: OpenApiSchema, value: unknown, path: string, findings: Findings): void {
    // JSON null decodes to the zero value of any field, so it is never an error.
    if (value === null || value === undefined) return;
    const schema = this.#resolve(schemaOrRef);
    const actual = jsonTypeOf(value);
    const wrong = (expected: string): void => {
      findings.wrongType.push({ path, expected, actual });
    };
    if (schema['x-kubernetes-int-or-string'] === true) {
      if (actual !== 'string' && actual !== 'number') wrong('int-or-string');
      return;
    }
    if (Array.isArray(schema.oneOf)) {
      // Quantity: a string or a number, no top-level type.
      const alternatives = (schema.oneOf as OpenApiSchema[]).map((s) => (s.type === 'integer' ? 'number' : s.type));
      if (!alternatives.includes(actual)) wrong(alternatives.join('|'));
      return;
    }
    switch (schema.type) {
      case 'string':
        if (actual !== 'string') wrong('string');
        return;
      case 'integer':
        if (actual !== 'number' || !Number.isInteger(value)) wrong('integer');
        return;
      case 'number':
        if (actual !== 'number') wrong('number');
        return;
      case 'boolean':
        if (actual !== 'boolean') wrong('boolean');
        return;
      case 'array': {
        if (!Array.isArray(value)) return wrong('array');
        const items = schema.items as OpenApiSchema | undefined;
        if (items) value.forEach((item, i) => this.#walk(items, item, `${path}[${i}]`, findings));
        return;
      }
      case 'object':
        if (!isPlainObject(value)) return wrong('object');
        this.#walkObject(schema, value, path, findings);
        return;
      default:
        return; // no type: anything goes
    }
  }

  #walkObject(schema: OpenApiSchema, value: Record<string, unknown>, path: string, findings: Findings): void {
    const properties = schema.properties as Record<string, OpenApiSchema> | undefined;
    const additional = schema.additionalProperties as OpenApiSchema | boolean | undefined;
    if (properties === undefined) {
      if (typeof additional === 'object') {
        for (const [key, inner] of Object.entries(value)) this.#walk(additional, inner, child(path, key), findings);
      }
      // No properties and no value schema (FieldsV1, RawExtension): opaque JSON, never unknown.
      return;
    }
    for (const [key, inner] of Object.entries(value)) {
      const fieldSchema = properties[key];
      if (fieldSchema === undefined) findings.unknown.push(child(path, key));
      else this.#walk(fieldSchema, inner, child(path, key), findings);
    }
  }
}

/** Upstream's Strict-mode message: `strict decoding error: unknown field "a", unknown field "b"`. */
export function strictDecodingMessage(paths: readonly string[]): string {
  return `strict decoding error: ${paths.map((path) => `unknown field "${path}"`).join(', ')}`;
}

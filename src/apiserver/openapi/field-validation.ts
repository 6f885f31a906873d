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

/**
 * Where the walk is, as a chain of steps; printed only when a finding needs it, since almost every
 * object has no findings and building a string per visited field dominated the walk.
 */
interface PathStep {
  readonly parent: PathStep | undefined;
  /** A field name, or a list index. */
  readonly at: string | number;
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
    if (name !== undefined) this.#walk(this.#schemas[name] ?? {}, obj, undefined, findings);
    return findings;
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
      if (actual !== 'string' && actual !== 'number') wrongType(findings, path, 'int-or-string', actual);
      return;
    }
    if (Array.isArray(schema.oneOf)) {
      // Quantity: a string or a number, no top-level type.
      const actual = jsonTypeOf(value);
      const alternatives = (schema.oneOf as OpenApiSchema[]).map((s) => (s.type === 'integer' ? 'number' : s.type));
      if (!alternatives.includes(actual)) wrongType(findings, path, alternatives.join('|'), actual);
      return;
    }
    switch (schema.type) {
      case 'string':
        if (typeof value !== 'string') wrongType(findings, path, 'string', jsonTypeOf(value));
        return;
      case 'integer':
        if (typeof value !== 'number' || !Number.isInteger(value)) wrongType(findings, path, 'integer', jsonTypeOf(value));
        return;
      case 'number':
        if (typeof value !== 'number') wrongType(findings, path, 'number', jsonTypeOf(value));
        return;
      case 'boolean':
        if (typeof value !== 'boolean') wrongType(findings, path, 'boolean', jsonTypeOf(value));
        return;
      case 'array': {
        if (!Array.isArray(value)) return wrongType(findings, path, 'array', jsonTypeOf(value));
        const items = schema.items as OpenApiSchema | undefined;
        if (items) for (let i = 0; i < value.length; i++) this.#walk(items, value[i], { parent: path, at: i }, findings);
        return;
      }
      case 'object':
        if (!isPlainObject(value)) return wrongType(findings, path, 'object', jsonTypeOf(value));
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
      else this.#walk(fieldSchema, value[key], { parent: path, at: key }, findings);
    }
  }
}

function wrongType(findings: Findings, path: PathStep | undefined, expected: string, actual: string): void {
  findings.wrongType.push({ path: formatPath(path), expected, actual });
}

/** Upstream's Strict-mode message: `strict decoding error: unknown field "a", unknown field "b"`. */
export function strictDecodingMessage(paths: readonly string[]): string {
  return `strict decoding error: ${paths.map((path) => `unknown field "${path}"`).join(', ')}`;
}

// Declarative descriptions of the Kubernetes protobuf messages we decode. Field numbers and wire
// types are facts taken from the upstream generated.proto files (release-1.32); the JSON names
// and the zero-value rules come from the Go types' json tags.
//
// Zero values: gogo-protobuf writes every non-pointer scalar even when it is zero, but Go's JSON
// encoder drops it when its tag says omitempty. Pointer fields (and the few tags without
// omitempty) are written only when set, and their zero is meaningful (`replicas: 0`). So a
// scalar field is dropped when zero unless it is marked `keepZero`.

/** Plain protobuf scalar types. */
export type ScalarType = 'string' | 'int32' | 'int64' | 'bool' | 'bytes';

/**
 * `intOrString`, `quantity` and `time` are apimachinery messages with a custom JSON form:
 * number|string, the quantity string, and an RFC 3339 timestamp (dropped when zero).
 */
export type WellKnownType = 'intOrString' | 'quantity' | 'time';

export type FieldType = ScalarType | WellKnownType | 'message' | 'map';

/** Map values: maps in the Kubernetes protos are always keyed by string. */
export type MapValueType = 'string' | 'bytes' | 'quantity';

export interface FieldDescriptor {
  /** The JSON field name. */
  readonly name: string;
  readonly type: FieldType;
  readonly repeated?: boolean;
  /** Emit the value even when it is the zero value (a Go pointer field, or a tag without omitempty). */
  readonly keepZero?: boolean;
  /** An embedded Go struct: its fields are merged into the parent object (e.g. Volume's VolumeSource). */
  readonly inline?: boolean;
  /** For `message` fields; a thunk so descriptors may refer to ones declared later or in other files. */
  readonly message?: () => MessageDescriptor;
  /** For `map` fields. */
  readonly mapValue?: MapValueType;
}

export interface MessageDescriptor {
  /** Fully qualified protobuf name, used in error messages. */
  readonly name: string;
  readonly fields: ReadonlyMap<number, FieldDescriptor>;
}

export interface FieldOptions {
  readonly repeated?: boolean;
  readonly keepZero?: boolean;
}

export function message(name: string, fields: Readonly<Record<number, FieldDescriptor>>): MessageDescriptor {
  const map = new Map<number, FieldDescriptor>();
  for (const [number, field] of Object.entries(fields)) map.set(Number(number), field);
  return { name, fields: map };
}

function scalar(type: ScalarType | WellKnownType) {
  return (name: string, options: FieldOptions = {}): FieldDescriptor => ({ name, type, ...options });
}

export const string = scalar('string');
export const int32 = scalar('int32');
export const int64 = scalar('int64');
export const bool = scalar('bool');
export const bytes = scalar('bytes');
export const intOrString = scalar('intOrString');
export const quantity = scalar('quantity');
export const time = scalar('time');

/** `repeated string` (a Go []string, omitted when empty). */
export function strings(name: string): FieldDescriptor {
  return { name, type: 'string', repeated: true };
}

/** A descriptor, or a thunk for one declared later (or in a module that imports this one). */
export type MessageRef = MessageDescriptor | (() => MessageDescriptor);

function thunk(of: MessageRef): () => MessageDescriptor {
  return typeof of === 'function' ? of : () => of;
}

/** A nested message. Messages present on the wire are always emitted (as `{}` when empty). */
export function sub(name: string, of: MessageRef, options: FieldOptions = {}): FieldDescriptor {
  return { name, type: 'message', message: thunk(of), ...options };
}

/** `repeated` nested message. */
export function list(name: string, of: MessageRef): FieldDescriptor {
  return { name, type: 'message', message: thunk(of), repeated: true };
}

/** An embedded struct whose fields appear flat in the parent's JSON. */
export function inline(of: MessageRef): FieldDescriptor {
  return { name: '', type: 'message', message: thunk(of), inline: true };
}

/** `map<string, V>`, encoded on the wire as repeated {key = 1, value = 2} entries. */
export function map(name: string, mapValue: MapValueType = 'string'): FieldDescriptor {
  return { name, type: 'map', mapValue };
}

/** Options shorthand for pointer / non-omitempty scalars. */
export const KEEP: FieldOptions = { keepZero: true };

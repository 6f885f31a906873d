// Descriptor-driven decoding of one protobuf message into the JSON form the apiserver stores.
// Normalisation happens on the way (see message-descriptor.ts for the zero-value rules):
// scalars at their zero value are dropped unless `keepZero`; nested messages are kept when
// present (gogo writes non-pointer structs even when empty, and Go's JSON keeps them as `{}`);
// empty lists and maps never appear; unknown fields are skipped.
import type { FieldDescriptor, MapValueType, MessageDescriptor } from './descriptors/message-descriptor.js';
import { ProtobufDecodeError } from './protobuf-decode-error.js';
import { WireReader, type WireType } from './wire-reader.js';

export type JsonObject = Record<string, unknown>;

export function decodeMessage(reader: WireReader, descriptor: MessageDescriptor): JsonObject {
  const out: JsonObject = {};
  while (!reader.done) {
    const { fieldNumber, wireType } = reader.readTag();
    const field = descriptor.fields.get(fieldNumber);
    if (field === undefined) {
      reader.skip(wireType);
      continue;
    }
    decodeField({ reader, wireType, field, owner: descriptor, out });
  }
  return out;
}

interface FieldContext {
  readonly reader: WireReader;
  readonly wireType: WireType;
  readonly field: FieldDescriptor;
  readonly owner: MessageDescriptor;
  readonly out: JsonObject;
}

function decodeField(ctx: FieldContext): void {
  const { reader, field, out } = ctx;
  switch (field.type) {
    case 'map':
      expectWireType(ctx, 'bytes');
      addMapEntry(ctx, field.mapValue ?? 'string');
      return;
    case 'message': {
      expectWireType(ctx, 'bytes');
      const value = decodeMessage(reader.readMessage(), messageOf(ctx));
      if (field.inline === true) Object.assign(out, value);
      else if (field.repeated === true) pushValue(out, field.name, value);
      else {
        // Protobuf merges repeated occurrences of a singular message field.
        const previous = out[field.name];
        out[field.name] = isObject(previous) ? Object.assign(previous, value) : value;
      }
      return;
    }
    case 'intOrString':
    case 'quantity':
    case 'time': {
      expectWireType(ctx, 'bytes');
      const value = decodeWellKnown(reader.readMessage(), field);
      setScalar(ctx, value);
      return;
    }
    case 'string':
    case 'bytes':
      expectWireType(ctx, 'bytes');
      setScalar(ctx, field.type === 'string' ? reader.readString() : toBase64(reader.readBytes()));
      return;
    case 'int32':
    case 'int64':
    case 'bool':
      if (field.repeated === true && ctx.wireType === 'bytes') {
        // Packed encoding: one length-delimited run of varints.
        const packed = reader.readMessage();
        while (!packed.done) pushValue(out, field.name, readVarintScalar(packed, field.type));
        return;
      }
      expectWireType(ctx, 'varint');
      setScalar(ctx, readVarintScalar(reader, field.type));
      return;
  }
}

function readVarintScalar(reader: WireReader, type: 'int32' | 'int64' | 'bool'): number | boolean {
  if (type === 'bool') return reader.readBool();
  return type === 'int32' ? reader.readInt32() : reader.readInt64();
}

/** Stores a decoded scalar (or well-known value, `undefined` meaning "omit"), applying the zero rule. */
function setScalar({ field, out }: FieldContext, value: unknown): void {
  if (field.repeated === true) {
    if (value !== undefined) pushValue(out, field.name, value);
    return;
  }
  if (value === undefined || (isZero(value) && field.keepZero !== true)) {
    // A later zero overrides an earlier value for a singular field ("last one wins").
    delete out[field.name];
    return;
  }
  out[field.name] = value;
}

function isZero(value: unknown): boolean {
  return value === '' || value === 0 || value === false;
}

function addMapEntry(ctx: FieldContext, valueType: MapValueType): void {
  const entry = ctx.reader.readMessage();
  let key = '';
  let value: unknown = valueType === 'quantity' ? undefined : '';
  while (!entry.done) {
    const { fieldNumber, wireType } = entry.readTag();
    if (fieldNumber === 1 && wireType === 'bytes') key = entry.readString();
    else if (fieldNumber === 2 && wireType === 'bytes') value = readMapValue(entry, valueType);
    else if (fieldNumber === 1 || fieldNumber === 2) {
      throw new ProtobufDecodeError(`map ${ctx.owner.name}.${ctx.field.name} entry field ${fieldNumber} has wire type ${wireType}, expected bytes`);
    } else entry.skip(wireType);
  }
  if (value === undefined) return;
  let map = ctx.out[ctx.field.name];
  if (!isObject(map)) {
    map = {};
    ctx.out[ctx.field.name] = map;
  }
  // Keys come from the wire: define them as own properties so `__proto__` stays a plain key.
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

function readMapValue(reader: WireReader, valueType: MapValueType): unknown {
  switch (valueType) {
    case 'string':
      return reader.readString();
    case 'bytes':
      return toBase64(reader.readBytes());
    case 'quantity':
      return decodeQuantity(reader.readMessage());
  }
}

function decodeWellKnown(reader: WireReader, field: FieldDescriptor): unknown {
  switch (field.type) {
    case 'intOrString':
      return decodeIntOrString(reader, field.keepZero === true);
    case 'quantity':
      return decodeQuantity(reader);
    default:
      return decodeTime(reader);
  }
}

/**
 * IntOrString {type = 1 (0 int, 1 string), intVal = 2, strVal = 3} -> number | string.
 * A non-pointer IntOrString left at its zero (int 0) is dropped, so "unset" reads as absent
 * (e.g. a Service port without targetPort gets the server-side default).
 */
function decodeIntOrString(reader: WireReader, keepZero: boolean): number | string | undefined {
  let type = 0;
  let intVal = 0;
  let strVal = '';
  while (!reader.done) {
    const { fieldNumber, wireType } = reader.readTag();
    if (fieldNumber === 1 && wireType === 'varint') type = reader.readInt64();
    else if (fieldNumber === 2 && wireType === 'varint') intVal = reader.readInt32();
    else if (fieldNumber === 3 && wireType === 'bytes') strVal = reader.readString();
    else reader.skip(wireType);
  }
  const value = type === 1 ? strVal : intVal;
  return isZero(value) && !keepZero ? undefined : value;
}

/** Quantity {string = 1} -> its canonical string; an empty one is treated as absent. */
function decodeQuantity(reader: WireReader): string | undefined {
  let value = '';
  while (!reader.done) {
    const { fieldNumber, wireType } = reader.readTag();
    if (fieldNumber === 1 && wireType === 'bytes') value = reader.readString();
    else reader.skip(wireType);
  }
  return value === '' ? undefined : value;
}

/** RFC 3339 at second precision, as metav1.Time marshals; undefined (omitted) when zero. */
const MIN_TIME_SECONDS = -62135596800; // 0001-01-01T00:00:00Z, Go's zero time
const MAX_TIME_SECONDS = 253402300799; // 9999-12-31T23:59:59Z, the last instant RFC 3339 can write

function decodeTime(reader: WireReader): string | undefined {
  let seconds = 0;
  let nanos = 0;
  while (!reader.done) {
    const { fieldNumber, wireType } = reader.readTag();
    if (fieldNumber === 1 && wireType === 'varint') seconds = reader.readInt64();
    else if (fieldNumber === 2 && wireType === 'varint') nanos = reader.readInt32();
    else reader.skip(wireType);
  }
  if (seconds === 0 && nanos === 0) return undefined;
  if (seconds < MIN_TIME_SECONDS || seconds > MAX_TIME_SECONDS) {
    throw new ProtobufDecodeError(`timestamp ${seconds}s is outside years 0001..9999`);
  }
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function expectWireType(ctx: FieldContext, expected: WireType): void {
  if (ctx.wireType !== expected) {
    const name = ctx.field.name === '' ? '(inline)' : ctx.field.name;
    throw new ProtobufDecodeError(`field ${ctx.owner.name}.${name} has wire type ${ctx.wireType}, expected ${expected}`);
  }
}

function messageOf(ctx: FieldContext): MessageDescriptor {
  const descriptor = ctx.field.message?.();
  if (descriptor === undefined) {
    // A descriptor-table bug, not bad input; still reported as a decode failure.
    throw new ProtobufDecodeError(`no descriptor for message field ${ctx.owner.name}.${ctx.field.name}`);
  }
  return descriptor;
}

function pushValue(out: JsonObject, name: string, value: unknown): void {
  const existing = out[name];
  if (Array.isArray(existing)) existing.push(value);
  else out[name] = [value];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

// A minimal reader for the protobuf wire format (varint, 64-bit, length-delimited, 32-bit).
// Every read checks bounds first, so a truncated or hostile body ends in ProtobufDecodeError,
// never in a RangeError or an endless loop: each read advances the position or throws.
import { ProtobufDecodeError } from './protobuf-decode-error.js';

/** Wire types 0, 1, 2 and 5. Groups (3, 4) are proto1-era and never emitted by Kubernetes. */
export type WireType = 'varint' | 'fixed64' | 'bytes' | 'fixed32';

export interface FieldTag {
  readonly fieldNumber: number;
  readonly wireType: WireType;
}

const WIRE_TYPES: Readonly<Record<number, WireType>> = { 0: 'varint', 1: 'fixed64', 2: 'bytes', 5: 'fixed32' };

/** Field numbers are at most 2^29 - 1 (protobuf spec). */
const MAX_FIELD_NUMBER = 0x1fffffff;

const utf8 = new TextDecoder('utf-8', { fatal: false });

export class WireReader {
  readonly #bytes: Uint8Array;
  readonly #end: number;
  #pos: number;

  constructor(options: { bytes: Uint8Array; start?: number; end?: number }) {
    this.#bytes = options.bytes;
    this.#pos = options.start ?? 0;
    this.#end = options.end ?? options.bytes.length;
    if (this.#pos < 0 || this.#end > options.bytes.length || this.#pos > this.#end) {
      throw new ProtobufDecodeError(`reader window ${this.#pos}..${this.#end} outside a ${options.bytes.length}-byte buffer`);
    }
  }

  get position(): number {
    return this.#pos;
  }

  /** True when the whole window has been consumed. */
  get done(): boolean {
    return this.#pos >= this.#end;
  }

  readTag(): FieldTag {
    const at = this.#pos;
    const key = this.readVarint();
    const wireType = WIRE_TYPES[Number(key & 7n)];
    const fieldNumber = key >> 3n;
    if (wireType === undefined) {
      throw new ProtobufDecodeError(`unsupported wire type ${key & 7n} at offset ${at}`);
    }
    if (fieldNumber === 0n || fieldNumber > BigInt(MAX_FIELD_NUMBER)) {
      throw new ProtobufDecodeError(`invalid field number ${fieldNumber} at offset ${at}`);
    }
    return { fieldNumber: Number(fieldNumber), wireType };
  }

  /** An unsigned 64-bit varint (at most 10 bytes). */
  readVarint(): bigint {
    const at = this.#pos;
    // Fast path: up to 4 bytes (28 bits) fit a small integer exactly.
    let small = 0;
    for (let i = 0; i < 4; i++) {
      const b = this.#byte(at);
      small |= (b & 0x7f) << (7 * i);
      if ((b & 0x80) === 0) return BigInt(small);
    }
    let result = BigInt(small);
    for (let shift = 28n; shift < 70n; shift += 7n) {
      const b = this.#byte(at);
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    throw new ProtobufDecodeError(`varint longer than 10 bytes at offset ${at}`);
  }

  /** int32 fields: negative values travel as sign-extended 64-bit varints. */
  readInt32(): number {
    return Number(BigInt.asIntN(32, this.readVarint()));
  }

  /** int64 fields, as a JS number; values beyond 2^53 cannot be represented and are rejected. */
  readInt64(): number {
    const at = this.#pos;
    const value = BigInt.asIntN(64, this.readVarint());
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new ProtobufDecodeError(`int64 ${value} at offset ${at} exceeds the safe integer range`);
    }
    return Number(value);
  }

  readBool(): boolean {
    return this.readVarint() !== 0n;
  }

  /** Length-delimited payload, as a view into the underlying buffer (no copy). */
  readBytes(): Uint8Array {
    const at = this.#pos;
    const length = this.readVarint();
    if (length > BigInt(this.#end - this.#pos)) {
      throw new ProtobufDecodeError(`length ${length} at offset ${at} runs past the end of its message`);
    }
    const start = this.#pos;
    this.#pos += Number(length);
    return this.#bytes.subarray(start, this.#pos);
  }

  /** Go strings need not be valid UTF-8; invalid sequences become U+FFFD rather than failing. */
  readString(): string {
    return utf8.decode(this.readBytes());
  }

  /** A nested message's window, for a sub-reader over the same buffer. */
  readMessage(): WireReader {
    const payload = this.readBytes();
    return new WireReader({ bytes: payload });
  }

  readFixed32(): number {
    const view = this.#take(4);
    return new DataView(view.buffer, view.byteOffset, 4).getUint32(0, true);
  }

  readFixed64(): bigint {
    const view = this.#take(8);
    return new DataView(view.buffer, view.byteOffset, 8).getBigUint64(0, true);
  }

  /** Skips one value of the given wire type (an unknown field). */
  skip(wireType: WireType): void {
    switch (wireType) {
      case 'varint':
        this.readVarint();
        return;
      case 'fixed64':
        this.#take(8);
        return;
      case 'fixed32':
        this.#take(4);
        return;
      case 'bytes':
        this.readBytes();
        return;
    }
  }

  #byte(start: number): number {
    if (this.#pos >= this.#end) {
      throw new ProtobufDecodeError(`truncated varint at offset ${start}`);
    }
    // In bounds by the check above; `?? 0` only satisfies noUncheckedIndexedAccess.
    const b = this.#bytes[this.#pos] ?? 0;
    this.#pos++;
    return b;
  }

  #take(n: number): Uint8Array {
    if (this.#end - this.#pos < n) {
      throw new ProtobufDecodeError(`truncated ${n}-byte fixed value at offset ${this.#pos}`);
    }
    const start = this.#pos;
    this.#pos += n;
    return this.#bytes.subarray(start, this.#pos);
  }
}

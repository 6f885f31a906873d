// Builds a DNS message piece by piece and compresses names (RFC 1035 4.1.4): every name suffix
// written is remembered with its offset, and a later name ending in the same suffix is written as
// a pointer to it. That is what fits a big headless Service in 512 bytes.
import { dnsNameKey, nameToLabels } from './dns-name.js';

/** Pointers hold 14 bits: a suffix further into the message cannot be pointed at. */
const MAX_POINTER_OFFSET = 0x3fff;

export class MessageWriter {
  readonly #parts: Buffer[] = [];
  length = 0;
  /** dnsNameKey of a name suffix -> its offset (names compare case-insensitively). */
  readonly #suffixes = new Map<string, number>();

  toBuffer(): Buffer {
    return Buffer.concat(this.#parts, this.length);
  }

  /** Appends the bytes and gives them back, for values only known later (a length, say). */
  raw(bytes: Buffer): Buffer {
    this.#parts.push(bytes);
    this.length += bytes.length;
    return bytes;
  }

  u16(value: number): Buffer {
    const bytes = Buffer.alloc(2);
    bytes.writeUInt16BE(value);
    return this.raw(bytes);
  }

  u32(value: number): void {
    this.raw(Buffer.alloc(4)).writeUInt32BE(value);
  }

  /** Throws DnsFormatError for a string that is no name. Suffixes are remembered either way. */
  name(name: string, compress: boolean): void {
    const labels = nameToLabels(name);
    for (let i = 0; i < labels.length; i++) {
      const suffix = dnsNameKey(labels.slice(i));
      const pointer = compress ? this.#suffixes.get(suffix) : undefined;
      if (pointer !== undefined) {
        this.u16(0xc000 | pointer);
        return;
      }
      if (this.length <= MAX_POINTER_OFFSET && !this.#suffixes.has(suffix)) this.#suffixes.set(suffix, this.length);
      const label = labels[i] ?? Buffer.alloc(0);
      this.raw(Buffer.concat([Buffer.from([label.length]), label]));
    }
    this.raw(Buffer.from([0]));
  }
}

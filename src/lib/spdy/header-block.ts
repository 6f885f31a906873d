// SPDY/3 header blocks (draft 3 §2.6.10): a 32-bit pair count, then per pair a 32-bit length and
// the name, a 32-bit length and the value (several values of one name are joined by NUL). Names are
// lower case on the wire. The block is zlib-compressed with the SPDY dictionary through ONE deflate
// (and, for reading, ONE inflate) stream per connection and direction, each block ended with
// Z_SYNC_FLUSH: the compression state carries over from block to block, so blocks must be
// compressed and decompressed in exactly the order they travel.
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './spdy-dictionary.js';
import { SpdyProtocolError } from './spdy-frames.js';

/** Header names (lower case) to values; a multi-valued header's values are joined by "\0". */
export type SpdyHeaders = Readonly<Record<string, string>>;

export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [];
  const count = Buffer.alloc(4);
  count.writeUInt32BE(entries.length);
  parts.push(count);
  for (const [name, value] of entries) {
    for (const text of [name.toLowerCase(), value]) {
      const bytes = Buffer.from(text, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      parts.push(length, bytes);
    }
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): Record<string, string> {
  if (block.length === 0) return {};
  const read = (offset: number): [string, number] => {
    if (offset + 4 > block.length) throw new SpdyProtocolError('truncated SPDY header block');
    const length = block.readUInt32BE(offset);
    const end = offset + 4 + length;
    if (end > block.length) throw new SpdyProtocolError('truncated SPDY header block');
    return [block.toString('utf8', offset + 4, end), end];
  };
  if (block.length < 4) throw new SpdyProtocolError('truncated SPDY header block');
  const count = block.readUInt32BE(0);
  const headers: Record<string, string> = {};
  let offset = 4;
  for (let i = 0; i < count; i++) {
    const [name, afterName] = read(offset);
    const [value, afterValue] = read(afterName);
    offset = afterValue;
    const key = name.toLowerCase();
    headers[key] = headers[key] === undefined ? value : `${headers[key]}\0${value}`;
  }
  return headers;
}

/** Runs one zlib step at a time on a persistent stream: write, sync-flush, collect what came out. */
class ZlibSteps {
  readonly #stream: Deflate | Inflate;
  #tail: Promise<unknown> = Promise.resolve();
  #output: Buffer[] = [];
  #failure: Error | undefined;

  constructor(stream: Deflate | Inflate) {
    this.#stream = stream;
    stream.on('data', (chunk: Buffer) => this.#output.push(chunk));
    stream.on('error', (error: Error) => {
      this.#failure = error;
    });
  }

  run(input: Buffer): Promise<Buffer> {
    const step = this.#tail.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          if (this.#failure) {
            reject(this.#failure);
            return;
          }
          // A zlib error is emitted instead of calling the flush callback.
          const onError = (error: Error): void => reject(error);
          this.#stream.once('error', onError);
          this.#output = [];
          this.#stream.write(input);
          this.#stream.flush(constants.Z_SYNC_FLUSH, () => {
            this.#stream.off('error', onError);
            if (this.#failure) reject(this.#failure);
            else resolve(Buffer.concat(this.#output));
          });
        }),
    );
    this.#tail = step.catch(() => undefined);
    return step;
  }

  close(): void {
    this.#stream.destroy();
  }
}

/** The sending side's deflate stream of one connection. */
export class HeaderCompressor {
  readonly #steps = new ZlibSteps(createDeflate({ dictionary: SPDY3_DICTIONARY }));

  compress(headers: SpdyHeaders): Promise<Buffer> {
    return this.#steps.run(encodeHeaderBlock(headers));
  }

  close(): void {
    this.#steps.close();
  }
}

/** The receiving side's inflate stream of one connection. */
export class HeaderDecompressor {
  readonly #steps = new ZlibSteps(createInflate({ dictionary: SPDY3_DICTIONARY }));

  async decompress(block: Buffer): Promise<Record<string, string>> {
    // An empty block carries no headers and must not touch the zlib stream.
    if (block.length === 0) return {};
    let plain: Buffer;
    try {
      plain = await this.#steps.run(block);
    } catch (error) {
      throw new SpdyProtocolError(`cannot decompress SPDY header block: ${error instanceof Error ? error.message : String(error)}`);
    }
    return decodeHeaderBlock(plain);
  }

  close(): void {
    this.#steps.close();
  }
}

// Reads a request body into memory with a hard size limit (upstream: 3 MiB), so one client cannot
// make the server buffer an unbounded body. Over the limit: 413, and the rest is not read.
import type { IncomingMessage } from 'node:http';
import { EntityTooLargeError } from '../registry/api-errors.js';

export const DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw new EntityTooLargeError(maxBytes);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) throw new EntityTooLargeError(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

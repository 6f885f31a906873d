// Reads a request body into memory with a hard size limit (upstream: 3 MiB), so one client cannot
// make the server buffer an unbounded body. Over the limit: 413, and the rest is not read.
import type { IncomingMessage } from 'node:http';
import { EntityTooLargeError } from '../registry/api-errors.js';

export const DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;

/**
 * Listens for 'data'/'end' rather than iterating the stream: the async iterator costs an
 * iterator object, promises and stream bookkeeping on every request, for what is usually one chunk.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(new EntityTooLargeError(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        finish();
        // Stop reading: the caller answers 413 (and drops the rest of the body).
        req.pause();
        reject(new EntityTooLargeError(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      finish();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total));
    };
    const onError = (error: Error) => {
      finish();
      reject(error);
    };
    const onClose = () => {
      // Closed before 'end': the client went away mid-body.
      if (req.readableEnded) return;
      finish();
      reject(new Error('the client closed the connection before the request body was complete'));
    };
    const finish = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

// Reads of accepted client connections without the Readable stream machinery.
//
// Upstream sockets read through net.connect's `onread` option (upstream-pool.ts): the bytes land in
// a buffer we own and go straight to a callback, with no Buffer allocation, stream push,
// maybeReadMore or tick processing per read. net.Server has no such option on Node 20, but
// net.Socket's constructor honours `onread` for a socket built around an existing handle. So a
// listener accepts with `pauseOnConnect` (nothing has been read yet), and we move the accepted
// connection's handle into a new Socket that reads this way.
//
// What that relies on, from Node 20's lib/net.js (checked against v20.20):
// - `socket._handle` (undocumented) is the accepted TCP handle. The constructor, given
//   `{ handle, onread }`, makes the new Socket the handle's owner (read, write completion and
//   close callbacks go to it), switches the handle to the user buffer and starts reading.
// - The accepted Socket is left without a handle and destroyed: with no handle it closes nothing,
//   and it decrements the server's connection count, so that count (getConnections,
//   maxConnections, the callback of server.close) no longer includes adopted connections. The
//   gateway does not use them: GatewayWorker tracks its own sockets.
// - pause()/resume() stop and start the handle's reads in onread mode; EOF still ends the
//   readable side ('end'), and errors and 'close' are unchanged; allowHalfOpen is passed again.
// - The cluster module hands workers handles either way (SCHED_NONE accepts in the worker,
//   SCHED_RR passes the primary's accepted handle to server.onconnection): both reach the same
//   net.Server code, so both are adopted the same way.
// Everything that touches `_handle` is here, behind a feature check; when the check fails (another
// Node version, a socket that was not paused on accept) the caller reads through 'data' events.
import { Buffer } from 'node:buffer';
import { Socket } from 'node:net';

/** Bytes read at a time: the size libuv suggests for a TCP read. */
const READ_BUFFER_BYTES = 64 * 1024;

/**
 * One read buffer for every adopted connection of the process. libuv reads one socket at a time
 * and hands each read to its callback at once, so a read's bytes are only valid during that
 * callback: whoever keeps them (a queued write, bytes held for later) must copy them first
 * (ownedCopy).
 */
const sharedReadBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
const sharedArrayBuffer = sharedReadBuffer.buffer;

/** Whether `chunk` lives in the shared read buffer (so must be copied to be kept). */
export function isBorrowed(chunk: Buffer): boolean {
  return chunk.buffer === sharedArrayBuffer;
}

/** `chunk` itself if it is already owned, else a copy. */
export function ownedCopy(chunk: Buffer): Buffer {
  return chunk.buffer === sharedArrayBuffer ? Buffer.from(chunk) : chunk;
}

interface HandleLike {
  readStart(): number;
  readStop(): number;
  useUserBuffer(buffer: Uint8Array): void;
}

function isHandleLike(value: unknown): value is HandleLike {
  if (typeof value !== 'object' || value === null) return false;
  const handle = value as Partial<Record<keyof HandleLike, unknown>>;
  return typeof handle.readStart === 'function' && typeof handle.readStop === 'function' && typeof handle.useUserBuffer === 'function';
}

/**
 * Moves a just-accepted, paused connection into a Socket that reads through `onBytes` (called with
 * a view of the shared read buffer, valid only during the call). Returns undefined, leaving
 * `socket` untouched, when that cannot be done safely: the caller reads it the ordinary way.
 */
export function adoptAcceptedSocket(socket: Socket, onBytes: (chunk: Buffer) => void): Socket | undefined {
  const carrier = socket as unknown as { _handle?: unknown };
  const handle = carrier._handle;
  // Paused on accept and nothing read yet: no bytes can be lost in the move.
  if (!isHandleLike(handle) || socket.destroyed || socket.readableFlowing !== false || socket.readableLength !== 0) return undefined;
  carrier._handle = null;
  socket.destroy();
  return new Socket({
    handle,
    allowHalfOpen: true,
    onread: {
      buffer: sharedReadBuffer,
      callback: (bytes: number, buf: Uint8Array) => {
        onBytes(Buffer.from(buf.buffer, buf.byteOffset, bytes));
        return true;
      },
    },
  } as ConstructorParameters<typeof Socket>[0]);
}

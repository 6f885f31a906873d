// A bare RFC 6455 connection as a byte Duplex, for tunnelling a byte protocol (SPDY) through
// WebSocket binary messages the way kubectl 1.32 does for port-forward
// (`Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io`). Message boundaries carry no meaning
// there, so every message's payload is simply the next bytes; each write becomes one binary
// message. Pings are answered, a close frame is echoed and ends the stream.
//
// The `ws` library cannot be used for this: it rejects that subprotocol token ('/' and '+' are not
// token characters), so the handshake is done here too (acceptWebSocket).
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;
/** Refuse absurd frames rather than buffer them (a SPDY frame is at most 16 MiB + 8). */
const MAX_FRAME_PAYLOAD = 64 * 1024 * 1024;

/** The subprotocols a WebSocket upgrade request offers, in order. */
export function offeredSubprotocols(req: IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  const text = Array.isArray(header) ? header.join(',') : header ?? '';
  return text.split(',').map((p) => p.trim()).filter((p) => p !== '');
}

export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/**
 * Answers a WebSocket upgrade with 101 and `protocol`, and returns the connection as bytes.
 * `head` is what the HTTP parser read past the request head.
 */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string): WebSocketDuplex {
  const key = req.headers['sec-websocket-key'] ?? '';
  const accept = createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`,
  );
  return new WebSocketDuplex({ socket, head, role: 'server' });
}

export class WebSocketDuplex extends Duplex {
  readonly #socket: Duplex;
  /** Clients mask what they send; servers must not. */
  readonly #mask: boolean;
  #buffered: Buffer = Buffer.alloc(0);
  #closeSent = false;
  #ended = false;

  constructor(options: { socket: Duplex; head?: Buffer; role: 'server' | 'client' }) {
    super({ allowHalfOpen: false });
    this.#socket = options.socket;
    this.#mask = options.role === 'client';
    this.#socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    this.#socket.on('end', () => this.#endReadable());
    this.#socket.on('close', () => {
      this.#endReadable();
      this.destroy();
    });
    this.#socket.on('error', (error: Error) => this.destroy(error));
    if (options.head && options.head.length > 0) this.#receive(options.head);
  }

  override _read(): void {
    this.#socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#closeSent) {
      callback();
      return;
    }
    if (this.#socket.write(this.#frame(OP_BINARY, chunk))) callback();
    else this.#socket.once('drain', () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#sendClose(1000);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#socket.destroy();
    callback(error);
  }

  #sendClose(code: number): void {
    if (this.#closeSent) return;
    this.#closeSent = true;
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code);
    this.#socket.end(this.#frame(OP_CLOSE, payload));
  }

  #endReadable(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.push(null);
  }

  #frame(opcode: number, payload: Buffer): Buffer {
    const length = payload.length;
    const lengthBytes = length < 126 ? 0 : length < 65536 ? 2 : 8;
    const head = Buffer.alloc(2 + lengthBytes + (this.#mask ? 4 : 0));
    head[0] = 0x80 | opcode;
    head[1] = (this.#mask ? 0x80 : 0) | (length < 126 ? length : length < 65536 ? 126 : 127);
    if (lengthBytes === 2) head.writeUInt16BE(length, 2);
    if (lengthBytes === 8) head.writeBigUInt64BE(BigInt(length), 2);
    if (!this.#mask) return Buffer.concat([head, payload]);
    const key = Buffer.from([Math.random() * 256, Math.random() * 256, Math.random() * 256, Math.random() * 256].map(Math.floor));
    key.copy(head, 2 + lengthBytes);
    const masked = Buffer.alloc(length);
    for (let i = 0; i < length; i++) masked[i] = (payload[i] ?? 0) ^ (key[i & 3] ?? 0);
    return Buffer.concat([head, masked]);
  }

  #receive(chunk: Buffer): void {
    this.#buffered = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
    for (;;) {
      const b = this.#buffered;
      if (b.length < 2) return;
      const opcode = (b[0] ?? 0) & 0x0f;
      const masked = ((b[1] ?? 0) & 0x80) !== 0;
      let length = (b[1] ?? 0) & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) return;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) return;
        const big = b.readBigUInt64BE(2);
        if (big > BigInt(MAX_FRAME_PAYLOAD)) {
          this.destroy(new Error(`WebSocket frame too large (${big} bytes)`));
          return;
        }
        length = Number(big);
        offset = 10;
      }
      const keyOffset = offset;
      if (masked) offset += 4;
      if (b.length < offset + length) return;
      const payload = Buffer.from(b.subarray(offset, offset + length));
      if (masked) for (let i = 0; i < length; i++) payload[i] = (payload[i] ?? 0) ^ (b[keyOffset + (i & 3)] ?? 0);
      this.#buffered = b.subarray(offset + length);
      this.#onFrame(opcode, payload);
    }
  }

  #onFrame(opcode: number, payload: Buffer): void {
    switch (opcode) {
      case OP_CONTINUATION:
      case OP_TEXT:
      case OP_BINARY:
        if (payload.length > 0 && !this.#ended && !this.push(payload)) this.#socket.pause();
        return;
      case OP_PING:
        if (!this.#closeSent) this.#socket.write(this.#frame(OP_PONG, payload));
        return;
      case OP_CLOSE:
        // Echo the peer's code (RFC 6455 §5.5.1), then the connection is over.
        this.#sendClose(payload.length >= 2 ? payload.readUInt16BE(0) : 1000);
        this.#endReadable();
        return;
      default:
        return; // pong, reserved opcodes
    }
  }
}

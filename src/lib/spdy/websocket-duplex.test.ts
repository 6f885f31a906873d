import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { SpdySession } from './spdy-session.js';
import type { SpdyStream } from './spdy-stream.js';
import { acceptWebSocket, offeredSubprotocols, WebSocketDuplex } from './websocket-duplex.js';

const PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

/** An HTTP server that accepts the tunnel; returns the client side's raw socket after the 101. */
async function tunnel(onServer: (ws: WebSocketDuplex, req: IncomingMessage) => void): Promise<{ socket: Socket; response: string; close: () => void }> {
  const server = createServer();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => onServer(acceptWebSocket(req, socket, head, PROTOCOL), req));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  const key = randomBytes(16).toString('base64');
  socket.write(`GET /portForward/ns/pod HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Protocol: ${PROTOCOL}\r\n\r\n`);
  let text = '';
  while (!text.includes('\r\n\r\n')) {
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    text += chunk.toString('latin1');
  }
  const end = text.indexOf('\r\n\r\n') + 4;
  if (end < text.length) socket.unshift(Buffer.from(text.slice(end), 'latin1'));
  const expected = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  assert.match(text, new RegExp(`Sec-WebSocket-Accept: ${expected.replace(/[+/]/g, '\\$&')}`));
  return { socket, response: text.slice(0, end), close: () => server.close() };
}

test('handshake by hand echoes the SPDY subprotocol; SPDY runs inside binary messages', async () => {
  let offered: string[] = [];
  let resolveServed: (stream: SpdyStream) => void = () => undefined;
  const served = new Promise<SpdyStream>((resolve) => (resolveServed = resolve));
  const { socket, response, close } = await tunnel((ws, req) => {
    offered = offeredSubprotocols(req);
    new SpdySession({ transport: ws, role: 'server', onStream: resolveServed });
  });
  assert.match(response, /^HTTP\/1\.1 101 /);
  assert.match(response, /Sec-WebSocket-Protocol: SPDY\/3\.1\+portforward\.k8s\.io/);
  const client = new SpdySession({ transport: new WebSocketDuplex({ socket, role: 'client' }), role: 'client' });
  client.openStream({ streamtype: 'data', port: '80' }).end(randomBytes(300 * 1024));
  const stream = await served;
  assert.deepEqual(offered, [PROTOCOL]);
  assert.deepEqual(stream.headers, { streamtype: 'data', port: '80' });
  let total = 0;
  stream.on('data', (chunk: Buffer) => (total += chunk.length));
  await once(stream, 'end');
  assert.equal(total, 300 * 1024);
  client.destroy();
  close();
});

test('pings are answered with pongs; a close frame is echoed and ends the stream', async () => {
  let serverSide: WebSocketDuplex | undefined;
  const { socket, close } = await tunnel((ws) => {
    serverSide = ws;
    ws.resume();
  });
  // Masked client frames: ping "hi", then close 1000.
  const mask = Buffer.from([1, 2, 3, 4]);
  const masked = (opcode: number, payload: Buffer): Buffer =>
    Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, Buffer.from(payload.map((b, i) => b ^ (mask[i & 3] ?? 0)))]);
  socket.write(masked(0x9, Buffer.from("hi")));
  const [pong] = (await once(socket, 'data')) as [Buffer];
  assert.deepEqual([...pong], [0x8a, 2, 0x68, 0x69]);
  socket.write(masked(0x8, Buffer.from([0x03, 0xe8])));
  const [closing] = (await once(socket, 'data')) as [Buffer];
  assert.deepEqual([...closing], [0x88, 2, 0x03, 0xe8]);
  if (!serverSide!.closed) await once(serverSide!, "close");
  assert.equal(serverSide!.readableEnded, true);
  socket.destroy();
  close();
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { connectInSandbox } from './sandbox-connect.js';

async function echoServer(host: string): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.pipe(socket));
  server.listen(0, host);
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

async function roundTrip(stream: Duplex, text: string): Promise<string> {
  stream.end(text);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

test('host-network pods are reached on 127.0.0.1', async () => {
  const { server, port } = await echoServer('127.0.0.1');
  const stream = await connectInSandbox({ ip: '192.0.2.1', port, hostNetwork: true });
  assert.equal(await roundTrip(stream, 'hello'), 'hello');
  server.close();
});

test('nothing listening: rejects with ECONNREFUSED', async () => {
  const { server, port } = await echoServer('127.0.0.1');
  server.close();
  await once(server, 'close');
  await assert.rejects(connectInSandbox({ ip: '127.0.0.1', port, hostNetwork: false }), { code: 'ECONNREFUSED' });
});

// The relay path needs nsenter (root). Entering our OWN network namespace keeps the test hermetic:
// the listener is on 127.0.0.1 only and the "pod IP" 127.0.0.2 refuses, so only the relay reaches it.
const root = process.getuid?.() === 0;
test('refused on the pod IP: a relay inside the namespace reaches its loopback', { skip: root ? false : 'needs root for nsenter' }, async () => {
  const { server, port } = await echoServer('127.0.0.1');
  // Without a pid there is no relay, and the direct path is refused.
  await assert.rejects(connectInSandbox({ ip: '127.0.0.2', port, hostNetwork: false }), { code: 'ECONNREFUSED' });
  const stream = await connectInSandbox({ ip: '127.0.0.2', port, hostNetwork: false, pid: process.pid });
  assert.equal(await roundTrip(stream, 'through the relay'), 'through the relay');
  server.close();
  await assert.rejects(connectInSandbox({ ip: '127.0.0.2', port: 1, hostNetwork: false, pid: process.pid }), /ECONNREFUSED/);
});

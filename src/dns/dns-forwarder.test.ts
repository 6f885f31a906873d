import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { DnsForwarder } from './dns-forwarder.js';

// id 0x1234, RD, a.b A IN.
const QUERY = Buffer.from('123401000001000000000000016101620000010001', 'hex');

/** The query turned into an answer whose rcode says which upstream wrote it. */
function answer(query: Buffer, marker: number, id = query.readUInt16BE(0)): Buffer {
  const response = Buffer.from(query);
  response.writeUInt16BE(id, 0);
  response.writeUInt16BE(0x8180 | marker, 2);
  return response;
}

type Behaviour = 'answer' | 'silent' | 'wrong-id-first';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function udpUpstream(behaviour: Behaviour, marker: number): Promise<{ port: number; received: () => number }> {
  const socket: UdpSocket = createSocket('udp4');
  let received = 0;
  socket.on('message', (message, peer) => {
    received++;
    if (behaviour === 'silent') return;
    if (behaviour === 'wrong-id-first') socket.send(answer(message, 9, message.readUInt16BE(0) ^ 1), peer.port, peer.address);
    socket.send(answer(message, marker), peer.port, peer.address);
  });
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  closers.push(() => new Promise((resolve) => socket.close(() => resolve())));
  return { port: socket.address().port, received: () => received };
}

async function tcpUpstream(behaviour: Behaviour, marker: number): Promise<{ port: number }> {
  const connections = new Set<Socket>();
  const server: Server = createServer((connection) => {
    connections.add(connection);
    connection.on('close', () => connections.delete(connection));
    let pending = Buffer.alloc(0);
    connection.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      if (pending.length < 2 || pending.length < 2 + pending.readUInt16BE(0)) return;
      const query = pending.subarray(2, 2 + pending.readUInt16BE(0));
      if (behaviour === 'silent') return;
      const frame = (message: Buffer): Buffer => Buffer.concat([Buffer.from([message.length >> 8, message.length & 0xff]), message]);
      // Both frames in one write, the second split from its prefix: the reader must reassemble.
      const wrong = behaviour === 'wrong-id-first' ? frame(answer(query, 9, query.readUInt16BE(0) ^ 1)) : Buffer.alloc(0);
      const right = frame(answer(query, marker));
      connection.write(Buffer.concat([wrong, right.subarray(0, 3)]));
      setImmediate(() => connection.write(right.subarray(3)));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(async () => {
    for (const connection of connections) connection.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  return { port: address.port };
}

/** A UDP port nobody listens on (bound, then closed). */
async function deadPort(): Promise<number> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

function rcode(response: Buffer | undefined): number | undefined {
  return response === undefined ? undefined : response.readUInt16BE(2) & 0xf;
}

describe('DnsForwarder', () => {
  it('relays the first upstream answer over UDP', async () => {
    const upstream = await udpUpstream('answer', 1);
    const forwarder = new DnsForwarder({ upstreams: [{ host: '127.0.0.1', port: upstream.port }] });
    const response = await forwarder.forward(QUERY, 'udp');
    assert.equal(rcode(response), 1);
    assert.equal(response?.readUInt16BE(0), 0x1234);
    assert.deepEqual(response?.subarray(4), QUERY.subarray(4));
    forwarder.close();
  });

  it('moves on to the next upstream when one times out', async () => {
    const silent = await udpUpstream('silent', 1);
    const good = await udpUpstream('answer', 2);
    const forwarder = new DnsForwarder({
      upstreams: [{ host: '127.0.0.1', port: silent.port }, { host: '127.0.0.1', port: good.port }],
      timeoutMs: 100,
    });
    assert.equal(rcode(await forwarder.forward(QUERY, 'udp')), 2);
    assert.equal(silent.received(), 1);
    forwarder.close();
  });

  it('gives undefined when every upstream fails', async () => {
    const silent = await udpUpstream('silent', 1);
    const forwarder = new DnsForwarder({
      upstreams: [{ host: '127.0.0.1', port: silent.port }, { host: '127.0.0.1', port: await deadPort() }],
      timeoutMs: 100,
    });
    assert.equal(await forwarder.forward(QUERY, 'udp'), undefined);
    assert.equal(await forwarder.forward(QUERY, 'tcp'), undefined);
    forwarder.close();
  });

  it('ignores a datagram with another id', async () => {
    const upstream = await udpUpstream('wrong-id-first', 3);
    const forwarder = new DnsForwarder({ upstreams: [{ host: '127.0.0.1', port: upstream.port }] });
    const response = await forwarder.forward(QUERY, 'udp');
    assert.equal(rcode(response), 3);
    assert.equal(response?.readUInt16BE(0), 0x1234);
    forwarder.close();
  });

  it('forwards over TCP with length prefixes, skipping a frame with another id', async () => {
    const upstream = await tcpUpstream('wrong-id-first', 4);
    const forwarder = new DnsForwarder({ upstreams: [{ host: '127.0.0.1', port: upstream.port }] });
    const response = await forwarder.forward(QUERY, 'tcp');
    assert.equal(rcode(response), 4);
    assert.deepEqual(response?.subarray(4), QUERY.subarray(4));
    forwarder.close();
  });

  it('times out a silent TCP upstream and tries the next', async () => {
    const silent = await tcpUpstream('silent', 1);
    const good = await tcpUpstream('answer', 5);
    const forwarder = new DnsForwarder({
      upstreams: [{ host: '127.0.0.1', port: silent.port }, { host: '127.0.0.1', port: good.port }],
      timeoutMs: 100,
    });
    assert.equal(rcode(await forwarder.forward(QUERY, 'tcp')), 5);
    forwarder.close();
  });

  it('close() ends running queries and refuses later ones, leaving no sockets or timers', async () => {
    const silent = await udpUpstream('silent', 1);
    const forwarder = new DnsForwarder({ upstreams: [{ host: '127.0.0.1', port: silent.port }], timeoutMs: 60_000 });
    const handles = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'UDPWrap' || kind === 'Timeout').length;
    const before = handles();
    const running = [forwarder.forward(QUERY, 'udp'), forwarder.forward(QUERY, 'udp')];
    while (silent.received() < 2) await new Promise((resolve) => setImmediate(resolve));
    forwarder.close();
    assert.deepEqual(await Promise.all(running), [undefined, undefined]);
    assert.equal(await forwarder.forward(QUERY, 'udp'), undefined);
    // A closed UDP handle is released a little later: wait for that, then compare.
    for (let i = 0; i < 200 && handles() > before; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(handles(), before);
  });

  it('an abort signal ends one query', async () => {
    const silent = await udpUpstream('silent', 1);
    const forwarder = new DnsForwarder({ upstreams: [{ host: '127.0.0.1', port: silent.port }], timeoutMs: 60_000 });
    const controller = new AbortController();
    const running = forwarder.forward(QUERY, 'udp', controller.signal);
    while (silent.received() < 1) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    assert.equal(await running, undefined);
    forwarder.close();
  });
});

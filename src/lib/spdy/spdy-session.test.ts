import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, connect, type Socket, type AddressInfo } from 'node:net';
import { Duplex, PassThrough } from 'node:stream';
import { HeaderCompressor, HeaderDecompressor } from './header-block.js';
import { encodeFrame, RST_CANCEL, SpdyFrameParser, type SpdyFrame } from './spdy-frames.js';
import { SpdySession } from './spdy-session.js';
import type { SpdyStream } from './spdy-stream.js';

/** Two in-memory Duplexes wired back to back. */
function memoryPair(): [Duplex, Duplex] {
  const aToB = new PassThrough();
  const bToA = new PassThrough();
  const pair: [Duplex, Duplex] = [Duplex.from({ readable: bToA, writable: aToB }), Duplex.from({ readable: aToB, writable: bToA })];
  // Destroying one end aborts the shared PassThroughs under the other; that is expected here.
  for (const end of pair) end.on('error', () => undefined);
  return pair;
}

/** A connected pair of real TCP sockets on loopback (real buffering and backpressure). */
async function socketPair(): Promise<[Socket, Socket, () => void]> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  const [serverSide] = await accepted;
  await once(client, 'connect').catch(() => undefined);
  return [client, serverSide, () => server.close()];
}

function collect(stream: SpdyStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('close', () => reject(new Error(`stream ${stream.id} closed before its end`)));
  });
}

function sha(buffer: Buffer): string {
  return createHash('sha256').update(buffer).digest('hex');
}

test('client opens streams with headers; data flows both ways; FIN ends each side', async () => {
  const [a, b] = memoryPair();
  const accepted: SpdyStream[] = [];
  const server = new SpdySession({
    transport: b,
    role: 'server',
    onStream: (stream) => {
      accepted.push(stream);
      stream.on('data', (chunk: Buffer) => stream.write(Buffer.from(chunk.toString().toUpperCase())));
      stream.on('end', () => stream.end());
    },
  });
  const client = new SpdySession({ transport: a, role: 'client' });
  const first = client.openStream({ streamType: 'error', port: '80', requestID: '0' });
  const second = client.openStream({ streamtype: 'data', port: '80', requestid: '0' });
  assert.deepEqual([first.id, second.id], [1, 3]);
  assert.deepEqual(await second.waitReply(), {});
  const echoed = collect(second);
  second.end('hello spdy');
  assert.equal((await echoed).toString(), 'HELLO SPDY');
  assert.deepEqual(accepted.map((s) => s.headers), [
    { streamtype: 'error', port: '80', requestid: '0' },
    { streamtype: 'data', port: '80', requestid: '0' },
  ]);
  client.close();
  await Promise.all([client.closed, server.closed]);
});

test('ping is echoed by the peer in both roles', async () => {
  const [a, b] = memoryPair();
  const server = new SpdySession({ transport: b, role: 'server' });
  const client = new SpdySession({ transport: a, role: 'client' });
  await client.ping();
  await server.ping();
  client.destroy();
  await server.closed;
});

test('reset: the peer sees resetStatus CANCEL and its stream closes', async () => {
  const [a, b] = memoryPair();
  const accepted = new Promise<SpdyStream>((resolve) => new SpdySession({ transport: b, role: 'server', onStream: resolve }));
  const client = new SpdySession({ transport: a, role: 'client' });
  const stream = client.openStream({ streamtype: 'data' });
  stream.write('x');
  const peer = await accepted;
  const closed = once(peer, 'close');
  stream.reset();
  await closed;
  assert.equal(peer.resetStatus, RST_CANCEL);
  assert.equal(peer.destroyed, true);
  client.destroy();
});

test('a session without onStream refuses peer streams', async () => {
  const [a, b] = memoryPair();
  new SpdySession({ transport: b, role: 'server' });
  const client = new SpdySession({ transport: a, role: 'client' });
  const stream = client.openStream({ streamtype: 'data' });
  await once(stream, 'close');
  assert.equal(stream.resetStatus, 3); // REFUSED_STREAM
  client.destroy();
});

test('10 MiB each way over TCP, both ends flow-controlled, checksums match', async () => {
  const [c, s, stop] = await socketPair();
  const up = randomBytes(10 * 1024 * 1024);
  const down = randomBytes(10 * 1024 * 1024);
  const received = new Promise<Buffer>((resolve) => {
    new SpdySession({
      transport: s,
      role: 'server',
      onStream: (stream) => {
        void collect(stream).then(resolve);
        stream.end(down);
      },
    });
  });
  const client = new SpdySession({ transport: c, role: 'client' });
  const stream = client.openStream({ streamtype: 'data' });
  const downloaded = collect(stream);
  stream.end(up);
  assert.equal(sha(await received), sha(up));
  assert.equal(sha(await downloaded), sha(down));
  assert.equal(client.enforcesPeerWindow, true);
  client.destroy();
  stop();
});

test('a reader that does not read holds the sender at its window (no unbounded buffering)', async () => {
  const [a, b] = memoryPair();
  const accepted = new Promise<SpdyStream>((resolve) => new SpdySession({ transport: b, role: 'server', onStream: resolve, receiveWindow: 64 * 1024 }));
  const client = new SpdySession({ transport: a, role: 'client' });
  const stream = client.openStream({ streamtype: 'data' });
  const payload = randomBytes(2 * 1024 * 1024);
  stream.end(payload);
  const peer = await accepted;
  peer.pause();
  // Let the exchange settle: SETTINGS arrives, the window is used up, the writer waits.
  for (let i = 0; i < 5; i++) await client.ping();
  assert.ok(peer.readableLength <= 64 * 1024 + 32 * 1024, `buffered ${peer.readableLength}`);
  assert.ok(peer.readableLength > 0);
  const all = collect(peer);
  peer.resume();
  assert.equal(sha(await all), sha(payload));
  client.destroy();
});

/**
 * A peer like Go's spdystream (kubectl, kubelet, containerd): never sends SETTINGS or
 * WINDOW_UPDATE, ignores ours. Sending it more than 64 KiB must not stall.
 */
test('a peer that does no flow control still gets large transfers', async () => {
  const [a, b] = memoryPair();
  const compressor = new HeaderCompressor();
  const decompressor = new HeaderDecompressor();
  const parser = new SpdyFrameParser();
  const size = 3 * 1024 * 1024;
  let got = 0;
  const done = new Promise<void>((resolve) => {
    a.on('data', (chunk: Buffer) => {
      for (const frame of parser.push(chunk)) {
        if (frame.type === 'syn_reply') void decompressor.decompress(frame.headerBlock);
        if (frame.type === 'data' && frame.streamId === 1) {
          got += frame.data.length;
          if (frame.fin) resolve();
        }
      }
    });
  });
  new SpdySession({ transport: b, role: 'server', onStream: (stream) => stream.end(randomBytes(size)) });
  const syn: SpdyFrame = { type: 'syn_stream', streamId: 1, associatedId: 0, priority: 0, fin: false, unidirectional: false, headerBlock: await compressor.compress({ streamtype: 'data' }) };
  a.write(encodeFrame(syn));
  // And it sends us 1 MiB without waiting for any window either.
  for (let i = 0; i < 64; i++) a.write(encodeFrame({ type: 'data', streamId: 1, fin: i === 63, data: randomBytes(16 * 1024) }));
  await done;
  assert.equal(got, size);
  a.destroy();
  compressor.close();
  decompressor.close();
});

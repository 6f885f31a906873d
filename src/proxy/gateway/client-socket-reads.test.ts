import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { silentLogger } from '../../lib/logger.js';
import { freePort } from '../../../test/helpers/free-port.js';
import { adoptAcceptedSocket, isBorrowed, ownedCopy } from './client-socket-reads.js';
import { GatewayWorker } from './gateway-worker.js';
import { backend, endpoint, rule, startUpstream, table, type Upstream } from './gateway-test-kit.fixture.js';

interface Adopted {
  readonly socket: Socket;
  readonly chunks: Buffer[];
  readonly borrowed: boolean[];
}

/** A server that adopts every connection, and a client connected to it. */
async function adoptedPair(servers: Server[], pauseOnConnect = true): Promise<{ client: Socket; adopted: Promise<Adopted | undefined> }> {
  let resolveAdopted: (value: Adopted | undefined) => void = () => undefined;
  const adopted = new Promise<Adopted | undefined>((resolve) => (resolveAdopted = resolve));
  const server = createServer({ pauseOnConnect, allowHalfOpen: true }, (accepted) => {
    const chunks: Buffer[] = [];
    const borrowed: boolean[] = [];
    const socket = adoptAcceptedSocket(accepted, (chunk) => {
      borrowed.push(isBorrowed(chunk));
      chunks.push(ownedCopy(chunk));
    });
    if (socket === undefined) accepted.destroy();
    resolveAdopted(socket === undefined ? undefined : { socket, chunks, borrowed });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  client.on('error', () => undefined);
  await once(client, 'connect');
  return { client, adopted };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await delay(10);
}

describe('adoptAcceptedSocket', () => {
  const servers: Server[] = [];
  const sockets: Socket[] = [];

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.destroy();
    for (const server of servers.splice(0)) server.close();
  });

  it('reads a paused accepted connection through the callback, in the shared buffer', async () => {
    const { client, adopted } = await adoptedPair(servers);
    sockets.push(client);
    const side = await adopted;
    assert.ok(side, 'adopted');
    sockets.push(side.socket);
    assert.equal(side.socket.remoteAddress, '127.0.0.1');
    client.write('ping');
    await until(() => side.chunks.length > 0);
    assert.equal(Buffer.concat(side.chunks).toString(), 'ping');
    assert.deepEqual(side.borrowed, [true]);
    const reply = once(client, 'data');
    side.socket.write('pong');
    assert.equal(String((await reply)[0]), 'pong');
  });

  it('ends the readable side on the client FIN and can still answer (half-open)', async () => {
    const { client, adopted } = await adoptedPair(servers);
    sockets.push(client);
    const side = await adopted;
    assert.ok(side);
    sockets.push(side.socket);
    const ended = once(side.socket, 'end');
    client.end('last');
    await ended;
    assert.equal(Buffer.concat(side.chunks).toString(), 'last');
    const received: Buffer[] = [];
    client.on('data', (chunk: Buffer) => received.push(chunk));
    const closed = once(client, 'close');
    side.socket.end('answer');
    await closed;
    assert.equal(Buffer.concat(received).toString(), 'answer');
  });

  it('pause() stops reads and resume() starts them again', async () => {
    const { client, adopted } = await adoptedPair(servers);
    sockets.push(client);
    const side = await adopted;
    assert.ok(side);
    sockets.push(side.socket);
    side.socket.pause();
    client.write('held');
    await delay(100);
    assert.equal(side.chunks.length, 0);
    side.socket.resume();
    await until(() => side.chunks.length > 0);
    assert.equal(Buffer.concat(side.chunks).toString(), 'held');
  });

  it('leaves a socket that was not paused on accept alone', async () => {
    const { client, adopted } = await adoptedPair(servers, false);
    sockets.push(client);
    assert.equal(await adopted, undefined);
  });
});

describe('gateway client connections reading into the shared buffer', () => {
  let worker: GatewayWorker | undefined;
  let upstream: Upstream | undefined;

  afterEach(async () => {
    await worker?.close(100);
    await upstream?.close();
  });

  /** Sends raw bytes in pieces and returns everything the gateway answered until it closed. */
  async function exchange(port: number, pieces: readonly (Buffer | string)[], pause: () => Promise<void>): Promise<string> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const closed = once(socket, 'close');
    for (const piece of pieces) {
      socket.write(piece);
      await pause();
    }
    await closed;
    return Buffer.concat(received).toString('latin1');
  }

  it('keeps request bytes that outlive a read intact while other connections read', async () => {
    // The upstream reads bodies slowly, so the gateway's writes to it queue; it answers a digest.
    upstream = await startUpstream('a', (req, res, body) => {
      res.end(`${req.url} ${createHash('sha256').update(body).digest('hex')}`);
    }, (server) => server.on('connection', (socket: Socket) => {
      socket.pause();
      const timer = setInterval(() => {
        socket.resume();
        setImmediate(() => socket.pause());
      }, 5);
      socket.on('close', () => clearInterval(timer));
    }));
    worker = new GatewayWorker({ address: '127.0.0.1', logger: silentLogger() });
    const port = await freePort();
    await worker.applyTable(table(1, port, [rule([backend('default/a', [endpoint(upstream.port)])])]));
    const bodies = ['a', 'b', 'c'].map((fill) => Buffer.alloc(1 << 20, fill));
    const tick = (): Promise<void> => delay(1);
    const answers = await Promise.all(
      bodies.map((body, i) => {
        const head = `POST /up${i} HTTP/1.1\r\nhost: x\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`;
        const pieces: Buffer[] = [Buffer.from(head)];
        for (let at = 0; at < body.length; at += 256 * 1024) pieces.push(body.subarray(at, at + 256 * 1024));
        return exchange(port, pieces, tick);
      }),
    );
    bodies.forEach((body, i) => {
      assert.match(answers[i] ?? '', /^HTTP\/1\.1 200 /);
      assert.ok((answers[i] ?? '').endsWith(`/up${i} ${createHash('sha256').update(body).digest('hex')}`), `body ${i} arrived intact`);
    });
  });

  it('holds a head that arrives in two reads while another connection reads in between', async () => {
    upstream = await startUpstream('a', (req, res) => res.end(`seen ${req.url}`));
    worker = new GatewayWorker({ address: '127.0.0.1', logger: silentLogger() });
    const port = await freePort();
    await worker.applyTable(table(1, port, [rule([backend('default/a', [endpoint(upstream.port)])])]));
    const split = connect(port, '127.0.0.1');
    await once(split, 'connect');
    const received: Buffer[] = [];
    split.on('data', (chunk: Buffer) => received.push(chunk));
    split.write('GET /held-across-reads HTTP/1.1\r\nho');
    await delay(50);
    // Another connection's request and answer: its bytes went through the shared read buffer.
    const other = await exchange(port, ['GET /other-connection-xxxxxxxxxxxxxxxxxxxx HTTP/1.1\r\nhost: y\r\nconnection: close\r\n\r\n'], () => delay(1));
    assert.match(other, /seen \/other-connection/);
    const closed = once(split, 'close');
    split.write('st: x\r\nconnection: close\r\n\r\n');
    await closed;
    assert.match(Buffer.concat(received).toString(), /^HTTP\/1\.1 200 [\s\S]*seen \/held-across-reads$/);
  });
});

// Idle limits of gateway client connections (idle-timeouts.ts), through a real GatewayWorker on
// loopback with limits shrunk to fractions of a second.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { silentLogger } from '../../lib/logger.js';
import { freePort } from '../../../test/helpers/free-port.js';
import { GatewayWorker } from './gateway-worker.js';
import { backend, endpoint, rule, startUpstream, table, type Upstream } from './gateway-test-kit.fixture.js';
import { sweepLimits } from './idle-timeouts.js';

const LIMITS = { keepAliveMs: 200, requestHeadMs: 200, tunnelMs: 250, sweepMs: 20 };

/** A raw client connection that collects what it receives and notes when the gateway ended it. */
interface RawClient {
  readonly socket: Socket;
  received(): string;
  ended(): boolean;
}

async function rawClient(port: number): Promise<RawClient> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let text = '';
  let ended = false;
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  socket.on('end', () => (ended = true));
  socket.on('close', () => (ended = true));
  socket.on('error', () => (ended = true));
  return { socket, received: () => text, ended: () => ended };
}

async function until(check: () => boolean, ms = 5000): Promise<boolean> {
  for (const start = Date.now(); Date.now() - start < ms; await delay(10)) if (check()) return true;
  return check();
}

const GET = 'GET / HTTP/1.1\r\nhost: x\r\n\r\n';

describe('gateway idle limits', () => {
  let worker: GatewayWorker;
  let port: number;
  let upstream: Upstream;
  const clients: RawClient[] = [];

  beforeEach(async () => {
    worker = new GatewayWorker({ address: '127.0.0.1', logger: silentLogger(), idle: LIMITS });
    port = await freePort();
    upstream = await startUpstream(
      'u',
      (req, res) => {
        const wait = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('wait') ?? 0);
        setTimeout(() => res.end('ok\n'), wait);
      },
      (server) =>
        // A minimal switched protocol: after the 101 the upstream echoes every byte.
        server.on('upgrade', (_req, socket: Socket) => {
          socket.write('HTTP/1.1 101 Switching Protocols\r\nupgrade: echo\r\nconnection: upgrade\r\n\r\n');
          socket.pipe(socket);
        }),
    );
    await worker.applyTable(table(1, port, [rule([backend('default/u', [endpoint(upstream.port)])])]));
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.destroy();
    await worker.close(100);
    await upstream.close();
  });

  async function client(): Promise<RawClient> {
    const c = await rawClient(port);
    clients.push(c);
    return c;
  }

  it('counts each limit in sweeps, at least one', () => {
    assert.deepEqual(sweepLimits({ keepAliveMs: 75_000, requestHeadMs: 60_000, tunnelMs: 300_000, sweepMs: 1000 }), { keepAlive: 75, requestHead: 60, tunnel: 300 });
    assert.deepEqual(sweepLimits({ keepAliveMs: 1, requestHeadMs: 1050, tunnelMs: 0, sweepMs: 1000 }), { keepAlive: 1, requestHead: 2, tunnel: 1 });
  });

  it('keeps a connection that keeps sending requests, and ends it once it has been idle', async () => {
    const c = await client();
    // Requests every 50 ms for well over the keep-alive limit: the connection stays.
    for (let i = 1; i <= 12; i++) {
      c.socket.write(GET);
      assert.ok(await until(() => c.received().split('HTTP/1.1 200').length - 1 === i), `answer ${i} arrived`);
      await delay(50);
    }
    assert.equal(c.ended(), false, 'an active keep-alive connection was not cut');
    assert.ok(await until(() => c.ended()), 'the idle connection was ended');
    assert.equal(upstream.requests(), 12);
  });

  it('answers 408 to a request head that does not end in time, however its bytes trickle in', async () => {
    const c = await client();
    c.socket.write('GET / HTTP/1.1\r\n');
    for (let i = 0; i < 40 && !c.ended(); i++) {
      c.socket.write(`x-slow-${i}: 1\r\n`);
      await delay(30);
    }
    assert.ok(await until(() => c.ended()), 'the connection was ended');
    assert.match(c.received(), /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.match(c.received(), /connection: close/);
    assert.equal(upstream.requests(), 0);
  });

  it('leaves an exchange in progress to the route timeouts', async () => {
    const c = await client();
    c.socket.write('GET /?wait=700 HTTP/1.1\r\nhost: x\r\n\r\n');
    assert.ok(await until(() => c.received().includes('ok\n')), 'the slow answer arrived');
    assert.match(c.received(), /^HTTP\/1\.1 200 /);
  });

  it('keeps a tunnel while bytes move either way, and cuts it once they stop', async () => {
    const c = await client();
    c.socket.write('GET /ws HTTP/1.1\r\nhost: x\r\nupgrade: echo\r\nconnection: upgrade\r\n\r\n');
    assert.ok(await until(() => c.received().includes('\r\n\r\n')), 'the 101 arrived');
    assert.match(c.received(), /^HTTP\/1\.1 101 /);
    for (let i = 0; i < 12; i++) {
      c.socket.write(`ping-${i};`);
      await delay(50);
    }
    assert.ok(await until(() => c.received().includes('ping-11;')), 'every byte was echoed');
    assert.equal(c.ended(), false, 'an active tunnel was not cut');
    assert.ok(await until(() => c.ended()), 'the idle tunnel was cut');
  });
});

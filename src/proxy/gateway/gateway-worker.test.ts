import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { silentLogger } from '../../lib/logger.js';
import { freePort } from '../../../test/helpers/free-port.js';
import { GatewayWorker } from './gateway-worker.js';
import { backend, echoed, endpoint, prefix, rule, send, startUpstream, table, type Upstream } from './gateway-test-kit.fixture.js';

describe('GatewayWorker', () => {
  let worker: GatewayWorker;
  let port: number;
  const upstreams: Upstream[] = [];
  const agents: Agent[] = [];

  async function upstream(name: string, ...rest: Parameters<typeof startUpstream> extends [string, ...infer R] ? R : never): Promise<Upstream> {
    const u = await startUpstream(name, ...rest);
    upstreams.push(u);
    return u;
  }

  function keepAliveAgent(): Agent {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    return agent;
  }

  beforeEach(async () => {
    worker = new GatewayWorker({ address: '127.0.0.1', logger: silentLogger() });
    port = await freePort();
  });

  afterEach(async () => {
    for (const agent of agents.splice(0)) agent.destroy();
    await worker.close(100);
    await Promise.all(upstreams.splice(0).map((u) => u.close()));
  });

  it('forwards to the endpoint with X-Forwarded-For/Proto, keeps Host and drops hop-by-hop headers', async () => {
    const a = await upstream('a');
    await worker.applyTable(table(1, port, [rule([backend('default/a', [endpoint(a.port)])])]));
    const reply = await send(port, {
      path: '/x/y?q=1',
      headers: { host: 'example.com', connection: 'keep-alive, x-secret', 'x-secret': 'hop', 'keep-alive': 'timeout=5', 'x-user': 'u1', 'x-forwarded-proto': 'https' },
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['x-upstream'], 'a');
    const seen = echoed(reply);
    assert.equal(seen.url, '/x/y?q=1');
    assert.equal(seen.headers.host, 'example.com');
    assert.equal(seen.headers['x-user'], 'u1');
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(seen.headers['x-forwarded-proto'], 'http');
    assert.equal(seen.headers['x-secret'], undefined);
    assert.equal(seen.headers['keep-alive'], undefined);
  });

  it('appends to an existing X-Forwarded-For', async () => {
    const a = await upstream('a');
    await worker.applyTable(table(1, port, [rule([backend('default/a', [endpoint(a.port)])])]));
    const seen = echoed(await send(port, { headers: { 'x-forwarded-for': '10.0.0.1' } }));
    assert.equal(seen.headers['x-forwarded-for'], '10.0.0.1, 127.0.0.1');
  });

  it('applies request and response header modifiers and URL rewrites', async () => {
    const a = await upstream('a');
    await worker.applyTable(table(1, port, [rule([backend('default/a', [endpoint(a.port)])], {
      matches: [prefix('/api')],
      requestHeaders: { set: [{ name: 'X-Set', value: 'new' }], add: [{ name: 'X-Add', value: 'added' }], remove: ['x-drop'] },
      responseHeaders: { set: [{ name: 'X-Upstream', value: 'hidden' }], add: [{ name: 'X-Resp', value: 'r' }], remove: ['content-type'] },
      rewrite: { hostname: 'internal.local', path: { type: 'ReplacePrefixMatch', value: '/v2' } },
    })]));
    const reply = await send(port, { path: '/api/items?x=1', headers: { 'x-set': 'old', 'x-drop': 'gone' } });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['x-upstream'], 'hidden');
    assert.equal(reply.headers['x-resp'], 'r');
    assert.equal(reply.headers['content-type'], undefined);
    const seen = echoed(reply);
    assert.equal(seen.url, '/v2/items?x=1');
    assert.equal(seen.headers.host, 'internal.local');
    assert.equal(seen.headers['x-set'], 'new');
    assert.equal(seen.headers['x-add'], 'added');
    assert.equal(seen.headers['x-drop'], undefined);
  });

  it('answers redirects itself', async () => {
    await worker.applyTable(table(1, port, [rule([], { redirect: { scheme: 'https', hostname: 'secure.example', statusCode: 301 } })]));
    const reply = await send(port, { path: '/a?b=c', headers: { host: 'example.com:8080' } });
    assert.equal(reply.status, 301);
    assert.equal(reply.headers.location, 'https://secure.example/a?b=c');
    const samePort = await (async () => {
      await worker.applyTable(table(2, port, [rule([], { redirect: { path: { type: 'ReplaceFullPath', value: '/new' }, statusCode: 302 } })]));
      return send(port, { path: '/old', headers: { host: 'example.com' } });
    })();
    assert.equal(samePort.status, 302);
    assert.equal(samePort.headers.location, `http://example.com:${port}/new`);
  });

  it('answers 404 without a matching rule, 500 for an invalid backend, 503 without a ready endpoint', async () => {
    const a = await upstream('a');
    await worker.applyTable(table(1, port, [
      rule([backend('default/missing', [], 1, { invalid: 'BackendNotFound' })], { matches: [prefix('/invalid')] }),
      rule([backend('default/a', [endpoint(a.port, { ready: false })])], { matches: [prefix('/unready')] }),
      rule([backend('default/zero', [endpoint(a.port)], 0)], { matches: [prefix('/zero')] }),
    ]));
    assert.equal((await send(port, { path: '/nothing' })).status, 404);
    assert.equal((await send(port, { path: '/invalid' })).status, 500);
    assert.equal((await send(port, { path: '/unready' })).status, 503);
    assert.equal((await send(port, { path: '/zero' })).status, 500);
    assert.equal(a.requests(), 0);
  });

  it('answers 504 when the upstream is slower than the rule timeout, and the connection stays usable', async () => {
    const slow = await upstream('slow', (_req, res) => {
      setTimeout(() => res.end('late'), 1000);
    });
    const fast = await upstream('fast');
    await worker.applyTable(table(1, port, [
      rule([backend('default/slow', [endpoint(slow.port)])], { matches: [prefix('/slow')], requestTimeoutMs: 100 }),
      rule([backend('default/fast', [endpoint(fast.port)])]),
    ]));
    const agent = keepAliveAgent();
    const timedOut = await send(port, { path: '/slow', agent });
    assert.equal(timedOut.status, 504);
    const after = await send(port, { path: '/', agent });
    assert.equal(after.status, 200);
    assert.equal(after.localPort, timedOut.localPort);
  });

  it('retries an idempotent request refused by a vanished endpoint on another endpoint', async () => {
    const a = await upstream('a');
    const gone = await freePort();
    await worker.applyTable(table(1, port, [rule([backend('default/a', [endpoint(gone), endpoint(a.port)])])]));
    for (let i = 0; i < 10; i++) {
      const reply = await send(port);
      assert.equal(reply.status, 200);
    }
    assert.equal(a.requests(), 10);
    // A POST with a body cannot be replayed: it may fail with 502 when it meets the dead endpoint.
    const statuses = new Set<number>();
    for (let i = 0; i < 4; i++) statuses.add((await send(port, { method: 'POST', body: 'x' })).status);
    assert.ok(statuses.has(502));
  });

  it('reuses upstream connections and keeps client connections alive', async () => {
    const a = await upstream('a');
    await worker.applyTable(table(1, port, [rule([backend('default/a', [endpoint(a.port)])])]));
    const agent = keepAliveAgent();
    const ports = new Set<number>();
    for (let i = 0; i < 20; i++) ports.add((await send(port, { agent })).localPort);
    assert.equal(ports.size, 1);
    assert.equal(a.connections(), 1);
  });

  it('retries transparently when a pooled upstream connection was closed by the upstream', async () => {
    // Each upstream connection answers one request and closes on the next one without answering,
    // like a server whose idle timeout fires just as the request arrives: every reused pooled
    // connection is stale.
    let connections = 0;
    const raw = createNetServer((socket) => {
      connections++;
      let seen = 0;
      socket.on('data', () => {
        seen++;
        if (seen === 1) socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
        else socket.destroy();
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const rawPort = (raw.address() as AddressInfo).port;
    try {
      await worker.applyTable(table(1, port, [rule([backend('default/a', [endpoint(rawPort)])])]));
      const agent = keepAliveAgent();
      for (let i = 0; i < 10; i++) {
        const reply = await send(port, { agent });
        assert.equal(reply.status, 200);
        assert.equal(reply.body, 'ok');
      }
      assert.equal(connections, 10);
    } finally {
      raw.close();
    }
  });

  it('streams chunked bodies both ways', async () => {
    const a = await upstream('a', (_req, res, body) => {
      res.setHeader('content-type', 'text/plain');
      res.write(`got ${body.length} bytes:`);
      setTimeout(() => res.write('part2:'), 20);
      setTimeout(() => res.end(body.toString().toUpperCase()), 40);
    });
    await worker.applyTable(table(1, port, [rule([backend('default/a', [endpoint(a.port)])])]));
    const reply = await send(port, { method: 'POST', headers: { 'transfer-encoding': 'chunked' }, body: ['hello ', 'chunked ', 'world'] });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['transfer-encoding'], 'chunked');
    assert.equal(reply.body, 'got 19 bytes:part2:HELLO CHUNKED WORLD');
    const big = Buffer.alloc(1024 * 1024, 'z');
    const echoedBig = await send(port, { method: 'PUT', body: big });
    assert.equal(echoedBig.body.length, 'got 1048576 bytes:part2:'.length + big.length);
  });

  it('forwards header bytes unchanged, obs-text included', async () => {
    // A raw upstream that records the exact bytes of the request head it receives.
    let received = Buffer.alloc(0);
    const raw = createNetServer((socket) => {
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.includes('\r\n\r\n')) socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      const rawPort = (raw.address() as AddressInfo).port;
      await worker.applyTable(table(1, port, [rule([backend('default/raw', [endpoint(rawPort)])])]));
      // The fast path (head forwarded as received) and the rewriting one (Connection: close).
      for (const extra of ['', 'Connection: close\r\n']) {
        received = Buffer.alloc(0);
        const socket = connect(port, '127.0.0.1');
        let text = '';
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString('latin1');
          if (text.endsWith('ok')) socket.end();
        });
        socket.write(Buffer.from(`GET /caf\u00e9 HTTP/1.1\r\nHost: h\r\nX-Name: caf\u00e9\r\n${extra}\r\n`, 'latin1'));
        await new Promise((resolve) => socket.on('close', resolve));
        assert.match(text, /^HTTP\/1\.1 200 /);
        // Decoded as latin1, each original byte is one char: UTF-8 re-encoding would show as 'cafÃ©'.
        const seen = received.toString('latin1');
        assert.ok(seen.startsWith('GET /caf\u00e9 HTTP/1.1\r\n'), seen);
        assert.match(seen, /\r\nx-name: caf\u00e9\r\n/i);
      }
    } finally {
      raw.close();
    }
  });

  it('streams chunked bodies both ways', async () => {
    const a = await upstream('a', (_req, res, body) => {
      res.setHeader('content-type', 'text/plain');
      res.write(`got ${body.length} bytes:`);
      setTimeout(() => res.write('part2:'), 20);
      setTimeout(() => res.end(body.toString().toUpperCase()), 40);
    });
    await worker.applyTable(table(1, port, [rule([backend('default/a', [endpoint(a.port)])])]));
    const reply = await send(port, { method: 'POST', headers: { 'transfer-encoding': 'chunked' }, body: ['hello ', 'chunked ', 'world'] });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['transfer-encoding'], 'chunked');
    assert.equal(reply.body, 'got 19 bytes:part2:HELLO CHUNKED WORLD');
    const big = Buffer.alloc(1024 * 1024, 'z');
    const echoedBig = await send(port, { method: 'PUT', body: big });
    assert.equal(echoedBig.body.length, 'got 1048576 bytes:part2:'.length + big.length);
  });

  it('serves pipelined requests in order on one connection', async () => {
    const a = await upstream('a');
    await worker.applyTable(table(1, port, [rule([backend('default/a', [endpoint(a.port)])])]));
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.write('GET /one HTTP/1.1\r\nHost: h\r\n\r\nGET /two HTTP/1.1\r\nHost: h\r\n\r\nGET /three HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n');
    await new Promise((resolve) => socket.on('close', resolve));
    const urls = [...text.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(urls, ['/one', '/two', '/three']);
  });

  it('lets in-flight requests finish on the old table and sends new ones by the new table', async () => {
    let release: (() => void) | undefined;
    const old = await upstream('old', (_req, res) => {
      release = () => res.end('old answer');
    });
    const next = await upstream('new');
    await worker.applyTable(table(1, port, [rule([backend('default/svc', [endpoint(old.port)])])]));
    const inFlight = send(port);
    while (release === undefined) await delay(5);
    // The endpoint leaves the table (its pod terminates) while the request is in flight.
    await worker.applyTable(table(2, port, [rule([backend('default/svc', [endpoint(next.port), endpoint(old.port, { ready: false, terminating: true })])])]));
    const fresh = await send(port);
    assert.equal(echoed(fresh).name, 'new');
    release();
    const reply = await inFlight;
    assert.equal(reply.status, 200);
    assert.equal(reply.body, 'old answer');
    await worker.applyTable(table(3, port, [rule([backend('default/svc', [endpoint(next.port)])])]));
    for (let i = 0; i < 5; i++) assert.equal(echoed(await send(port)).name, 'new');
    assert.equal(old.requests(), 1);
  });

  it('splits by weight and records per-backend metrics', async () => {
    const a = await upstream('a');
    const b = await upstream('b');
    await worker.applyTable(table(1, port, [rule([backend('default/a', [endpoint(a.port)], 90), backend('default/b', [endpoint(b.port)], 10)])]));
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    agents.push(agent);
    await Promise.all(Array.from({ length: 400 }, () => send(port, { agent })));
    assert.equal(a.requests() + b.requests(), 400);
    assert.ok(a.requests() > 300 && b.requests() > 10, `a=${a.requests()} b=${b.requests()}`);
    const snapshot = worker.metrics.snapshot(Date.now());
    const total = snapshot.series.filter((s) => s.route === 'default/r').reduce((sum, s) => sum + (s.totals[1] ?? 0), 0);
    assert.equal(total, 400);
    assert.ok(snapshot.series.some((s) => s.service === 'default/b' && s.revision === `rev-${b.port}`));
  });

  it('binds and unbinds listener ports with the table', async () => {
    const other = await freePort();
    await worker.applyTable({ version: 1, listeners: [{ port, rules: [] }, { port: other, rules: [] }] });
    assert.deepEqual(worker.boundPorts, [port, other].sort((x, y) => x - y));
    assert.equal((await send(other)).status, 404);
    await worker.applyTable({ version: 2, listeners: [{ port, rules: [] }] });
    assert.deepEqual(worker.boundPorts, [port]);
    await assert.rejects(send(other), /ECONNREFUSED/);
  });
});

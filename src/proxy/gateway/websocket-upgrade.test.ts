// WebSocket (HTTP/1.1 Upgrade) through a GatewayWorker to a real `ws` server upstream.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { WebSocket, WebSocketServer } from 'ws';
import { silentLogger } from '../../lib/logger.js';
import { freePort } from '../../../test/helpers/free-port.js';
import { GatewayWorker } from './gateway-worker.js';
import { backend, endpoint, rule, table } from './gateway-test-kit.fixture.js';

interface WsUpstream {
  readonly port: number;
  /** Heads of the upgrade requests received, in order. */
  readonly upgrades: { url: string; headers: IncomingHttpHeaders }[];
  /** Server-side sockets of accepted WebSockets. */
  readonly sockets: WebSocket[];
  /** Ordinary (non-upgrade) requests received. */
  requests(): number;
  close(): Promise<void>;
}

/**
 * An HTTP server with a `ws` server on its upgrades: echoes each message as `echo <message>`
 * (binary messages back as they are); `/reject` answers 403 instead of switching.
 */
async function startWsUpstream(): Promise<WsUpstream> {
  const upgrades: { url: string; headers: IncomingHttpHeaders }[] = [];
  const sockets: WebSocket[] = [];
  const tcp = new Set<Socket>();
  let requests = 0;
  const wss = new WebSocketServer({ noServer: true });
  const server: Server = createServer((_req, res) => {
    requests++;
    res.end('plain http');
  });
  server.on('connection', (socket: Socket) => {
    tcp.add(socket);
    socket.on('close', () => tcp.delete(socket));
  });
  server.on('upgrade', (req, socket, head) => {
    upgrades.push({ url: req.url ?? '', headers: req.headers });
    if (req.url === '/reject') {
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 6\r\n\r\nno ws\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.push(ws);
      ws.on('message', (data, isBinary) => ws.send(isBinary ? data : `echo ${(data as Buffer).toString()}`, { binary: isBinary }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    upgrades,
    sockets,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets) ws.terminate();
        for (const socket of tcp) socket.destroy();
        wss.close();
        server.close(() => resolve());
      }),
  };
}

/** Headers of the 101 each client got, by client. */
const switchHeaders = new WeakMap<WebSocket, IncomingHttpHeaders>();

async function openClient(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, { headers });
  ws.once('upgrade', (res: { headers: IncomingHttpHeaders }) => switchHeaders.set(ws, res.headers));
  await once(ws, 'open');
  return ws;
}

async function nextMessage(ws: WebSocket): Promise<{ data: Buffer; isBinary: boolean }> {
  const [data, isBinary] = (await once(ws, 'message')) as [Buffer, boolean];
  return { data, isBinary };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await delay(10);
}

describe('WebSocket upgrades through the gateway', () => {
  let worker: GatewayWorker;
  let port: number;
  let upstream: WsUpstream;
  const clients: WebSocket[] = [];

  beforeEach(async () => {
    worker = new GatewayWorker({ address: '127.0.0.1', logger: silentLogger() });
    port = await freePort();
    upstream = await startWsUpstream();
  });

  afterEach(async () => {
    for (const ws of clients.splice(0)) ws.terminate();
    await worker.close(100);
    await upstream.close();
  });

  function requests101(): number {
    return worker.metrics.snapshot(Date.now()).series.reduce((sum, s) => sum + (s.totals[0] ?? 0), 0);
  }

  it('switches protocols and carries messages both ways, with request filters applied', async () => {
    await worker.applyTable(table(1, port, [rule([backend('default/ws', [endpoint(upstream.port)])], {
      requestHeaders: { set: [{ name: 'x-added', value: 'by-route' }], add: [], remove: ['x-secret'] },
      responseHeaders: { set: [{ name: 'x-gateway', value: 'k8ts' }], add: [], remove: [] },
    })]));
    const ws = await openClient(`ws://127.0.0.1:${port}/chat?room=1`, { 'x-secret': 'hidden' });
    clients.push(ws);
    const seen = upstream.upgrades[0];
    assert.ok(seen);
    assert.equal(seen.url, '/chat?room=1');
    assert.equal(seen.headers.upgrade, 'websocket');
    assert.equal(seen.headers.connection, 'upgrade');
    assert.equal(seen.headers['x-added'], 'by-route');
    assert.equal(seen.headers['x-secret'], undefined);
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
    // The 101 was rebuilt for the response modifier and still says what it switched to.
    const answered = switchHeaders.get(ws);
    assert.equal(answered?.['x-gateway'], 'k8ts');
    assert.equal(answered?.upgrade, 'websocket');
    assert.equal(answered?.connection, 'upgrade');
    ws.send('hello');
    assert.equal(String((await nextMessage(ws)).data), 'echo hello');
    // Large enough for backpressure on both sockets and many reads on each side.
    const big = Buffer.alloc(4 << 20);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    ws.send(big);
    const back = await nextMessage(ws);
    assert.equal(back.isBinary, true);
    assert.ok(back.data.equals(big), 'binary message came back intact');
    // Counted once, as a 1xx, when it switched; not an exchange in flight while the tunnel is open.
    assert.equal(requests101(), 1);
    assert.equal(worker.exchangesInFlight, 0);
    assert.equal(worker.idleUpstreamConnections, 0);
  });

  it('a client close reaches the upstream, and an upstream close reaches the client', async () => {
    await worker.applyTable(table(1, port, [rule([backend('default/ws', [endpoint(upstream.port)])])]));
    const first = await openClient(`ws://127.0.0.1:${port}/a`);
    clients.push(first);
    await until(() => upstream.sockets.length === 1);
    const upstreamSide = upstream.sockets[0];
    assert.ok(upstreamSide);
    const upstreamClosed = once(upstreamSide, 'close');
    first.close(4001, 'client done');
    const [code, reason] = (await upstreamClosed) as [number, Buffer];
    assert.equal(code, 4001);
    assert.equal(String(reason), 'client done');

    const second = await openClient(`ws://127.0.0.1:${port}/b`);
    clients.push(second);
    await until(() => upstream.sockets.length === 2);
    const clientClosed = once(second, 'close');
    upstream.sockets[1]?.close(4002, 'server done');
    const [code2, reason2] = (await clientClosed) as [number, Buffer];
    assert.equal(code2, 4002);
    assert.equal(String(reason2), 'server done');
    assert.equal(requests101(), 2);
  });

  it('a refused upgrade is an ordinary response, and its upstream connection is not pooled', async () => {
    await worker.applyTable(table(1, port, [rule([backend('default/ws', [endpoint(upstream.port)])])]));
    const ws = new WebSocket(`ws://127.0.0.1:${port}/reject`);
    clients.push(ws);
    ws.on('error', () => undefined);
    const [, res] = (await once(ws, 'unexpected-response')) as [unknown, { statusCode?: number }];
    assert.equal(res.statusCode, 403);
    await until(() => worker.exchangesInFlight === 0);
    assert.equal(worker.idleUpstreamConnections, 0);
    assert.equal(upstream.upgrades.length, 1);
  });

  it('bytes the client sends right behind the upgrade request reach the upstream after the switch', async () => {
    await worker.applyTable(table(1, port, [rule([backend('default/ws', [endpoint(upstream.port)])])]));
    // A raw client: the upgrade request and a masked text frame ("early") in one write.
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const key = Buffer.alloc(16, 7).toString('base64');
    const head = `GET /early HTTP/1.1\r\nhost: x\r\nconnection: Upgrade\r\nupgrade: websocket\r\nsec-websocket-version: 13\r\nsec-websocket-key: ${key}\r\n\r\n`;
    const mask = Buffer.from([1, 2, 3, 4]);
    const payload = Buffer.from('early');
    const frame = Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, payload.map((b, i) => b ^ (mask[i % 4] ?? 0))]);
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.write(Buffer.concat([Buffer.from(head), frame]));
    await until(() => Buffer.concat(received).includes('echo early'));
    const text = Buffer.concat(received).toString('latin1');
    assert.match(text, /^HTTP\/1\.1 101 /);
    assert.match(text, /\r\nupgrade: websocket\r\n/i);
    assert.ok(text.includes('echo early'), 'the early frame was delivered and echoed');
    socket.destroy();
  });

  it('without Connection: upgrade the Upgrade header is dropped and the request is ordinary', async () => {
    await worker.applyTable(table(1, port, [rule([backend('default/ws', [endpoint(upstream.port)])])]));
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const closed = once(socket, 'close');
    socket.end('GET /plain HTTP/1.1\r\nhost: x\r\nupgrade: websocket\r\nconnection: close\r\n\r\n');
    await closed;
    assert.match(Buffer.concat(received).toString(), /^HTTP\/1\.1 200 [\s\S]*plain http$/);
    assert.equal(upstream.upgrades.length, 0);
    assert.equal(upstream.requests(), 1);
  });
});

import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { once } from 'node:events';
import { Resolver } from 'node:dns/promises';
import { silentLogger } from '../lib/logger.js';
import { DnsForwarder, type DnsTransport } from './dns-forwarder.js';
import { parseDnsQuery, parseDnsResponse } from './dns-message.js';
import { DnsServer } from './dns-server.js';
import { FakeInternet, FakeZone, WEB, ZONE, a, header, query, tcpExchange, udpExchange } from './dns-server.fixture.js';
import { DNS_RCODE, DNS_TYPE, type DnsRecord } from './dns-types.js';

describe('DnsServer', () => {
  const upstream = new DnsServer({ address: '127.0.0.1', port: 0, resolver: new FakeInternet(), logger: silentLogger() });
  let forwarder: DnsForwarder;
  let server: DnsServer;
  let port: number;
  let upstreamPort: number;
  let resolver: Resolver;

  before(async () => {
    upstreamPort = (await upstream.listen()).port;
    forwarder = new DnsForwarder({ upstreams: [{ host: '127.0.0.1', port: upstreamPort }] });
    server = new DnsServer({ address: '127.0.0.1', port: 0, resolver: new FakeZone(), forwarder, logger: silentLogger() });
    const bound = await server.listen();
    assert.equal(bound.address, '127.0.0.1');
    port = bound.port;
    resolver = new Resolver({ timeout: 5_000, tries: 2 });
    resolver.setServers([`127.0.0.1:${port}`]);
  });

  after(async () => {
    resolver.cancel();
    await server.close();
    forwarder.close();
    await upstream.close();
  });

  it('answers a real client: A, SRV, CNAME, PTR', async () => {
    assert.deepEqual(await resolver.resolve4(WEB), ['10.96.0.10']);
    assert.deepEqual(await resolver.resolve4('WEB.Default.svc.cluster.local'), ['10.96.0.10']);
    assert.deepEqual(await resolver.resolveSrv(`_http._tcp.${WEB}`), [{ name: WEB, port: 80, priority: 0, weight: 100 }]);
    assert.deepEqual(await resolver.resolveCname(`alias.default.svc.${ZONE}`), [WEB]);
    assert.deepEqual(await resolver.resolvePtr('10.0.96.10.in-addr.arpa'), [WEB]);
  });

  it('passes NXDOMAIN on', async () => {
    await assert.rejects(resolver.resolve4(`missing.default.svc.${ZONE}`), { code: 'ENOTFOUND' });
  });

  it('answers with AA over UDP and TCP', async () => {
    const overUdp = header(await udpExchange(port, query(0x4242, WEB, DNS_TYPE.A)));
    assert.deepEqual(overUdp, { id: 0x4242, rcode: 0, aa: true, tc: false, answers: 1 });
    const [overTcp] = await tcpExchange(port, [query(0x4343, WEB, DNS_TYPE.A)]);
    assert.deepEqual(header(overTcp!), { id: 0x4343, rcode: 0, aa: true, tc: false, answers: 1 });
  });

  it('forwards other names and relays the upstream answer unchanged', async () => {
    assert.deepEqual(await resolver.resolve4('example.com'), ['192.0.2.1']);
    await assert.rejects(resolver.resolve4('nowhere.example'), { code: 'ENOTFOUND' });
    const message = query(7, 'example.com', DNS_TYPE.A);
    const direct = await udpExchange(upstreamPort, message);
    assert.deepEqual(await udpExchange(port, message), direct);
    const [overTcp] = await tcpExchange(port, [message]);
    assert.deepEqual(overTcp, direct);
  });

  it('answers SERVFAIL when the resolver throws, and keeps serving', async () => {
    assert.equal(header(await udpExchange(port, query(9, `boom.${ZONE}`, DNS_TYPE.A))).rcode, DNS_RCODE.SERVFAIL);
    await assert.rejects(resolver.resolve4(`boom.${ZONE}`), { code: 'ESERVFAIL' });
    assert.deepEqual(await resolver.resolve4(WEB), ['10.96.0.10']);
  });

  it('answers SERVFAIL for a foreign name without a forwarder, or when the upstream does not answer', async () => {
    const alone = new DnsServer({ address: '127.0.0.1', port: 0, resolver: new FakeZone(), logger: silentLogger() });
    const deadForwarder = new DnsForwarder({ upstreams: [{ host: '127.0.0.1', port: 9 }], timeoutMs: 200 });
    const stranded = new DnsServer({ address: '127.0.0.1', port: 0, resolver: new FakeZone(), forwarder: deadForwarder, logger: silentLogger() });
    try {
      for (const target of [await alone.listen(), await stranded.listen()]) {
        const response = header(await udpExchange(target.port, query(11, 'example.com', DNS_TYPE.A)));
        assert.deepEqual(response, { id: 11, rcode: DNS_RCODE.SERVFAIL, aa: false, tc: false, answers: 0 });
      }
    } finally {
      await alone.close();
      await stranded.close();
      deadForwarder.close();
    }
  });

  it('answers FORMERR to a malformed packet and serves the next query', async () => {
    const garbage = Buffer.concat([query(0x0bad, WEB, DNS_TYPE.A).subarray(0, 12), Buffer.from([0xc0, 0xff, 0x00])]);
    assert.deepEqual(header(await udpExchange(port, garbage)), { id: 0x0bad, rcode: DNS_RCODE.FORMERR, aa: false, tc: false, answers: 0 });
    // Too short to have an id: dropped; a response: dropped (answering would let servers loop). The query still gets its answer.
    const response = query(0x0bad, WEB, DNS_TYPE.A);
    response.writeUInt16BE(0x8100, 2);
    assert.equal(header(await udpExchange(port, Buffer.from([1, 2, 3]), response, query(0x600d, WEB, DNS_TYPE.A))).id, 0x600d);
    assert.deepEqual(await resolver.resolve4(WEB), ['10.96.0.10']);
  });

  it('answers NOTIMP to other opcodes, FORMERR to several questions, REFUSED to other classes', async () => {
    assert.equal(header(await udpExchange(port, query(1, WEB, DNS_TYPE.A, { opcode: 2 }))).rcode, DNS_RCODE.NOTIMP);
    assert.equal(header(await udpExchange(port, query(2, WEB, DNS_TYPE.A, { questions: 2 }))).rcode, DNS_RCODE.FORMERR);
    assert.equal(header(await udpExchange(port, query(3, WEB, DNS_TYPE.A, { questions: 0 }))).rcode, DNS_RCODE.FORMERR);
    assert.equal(header(await udpExchange(port, query(4, 'version.bind', DNS_TYPE.TXT, { class: 3 }))).rcode, DNS_RCODE.REFUSED);
    assert.equal(header(await udpExchange(port, query(5, WEB, DNS_TYPE.A, { class: 255 }))).answers, 1);
  });

  it('answers queries pipelined in one TCP write', async () => {
    const answers = await tcpExchange(port, [query(21, WEB, DNS_TYPE.A), query(22, 'example.com', DNS_TYPE.A), query(23, `missing.${ZONE}`, DNS_TYPE.A)]);
    const byId = new Map(answers.map((answer) => [header(answer).id, header(answer)]));
    assert.deepEqual([...byId.keys()].sort(), [21, 22, 23]);
    assert.equal(byId.get(21)?.answers, 1);
    assert.equal(byId.get(22)?.answers, 1);
    assert.equal(byId.get(23)?.rcode, DNS_RCODE.NXDOMAIN);
  });

  it('truncates a big UDP answer (TC) and gives it whole over TCP', async () => {
    const name = `big.default.svc.${ZONE}`;
    const overUdp = header(await udpExchange(port, query(31, name, DNS_TYPE.A)));
    assert.equal(overUdp.tc, true);
    assert.ok(overUdp.answers > 0 && overUdp.answers < 60);
    const [overTcp] = await tcpExchange(port, [query(32, name, DNS_TYPE.A)]);
    assert.deepEqual(header(overTcp!), { id: 32, rcode: 0, aa: true, tc: false, answers: 60 });
    // A real client retries over TCP itself (or asks with EDNS and gets it all at once).
    assert.equal((await resolver.resolve4(name)).length, 60);
  });

  it('survives random datagrams and TCP frames', async () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const noise = (): Buffer => Buffer.from(Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
    const socket = createSocket('udp4');
    socket.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    for (let i = 0; i < 300; i++) socket.send(noise());
    socket.close();
    // Random frames mixed with a real query: whatever the noise gets back, the query is answered.
    const frames = [...Array.from({ length: 20 }, noise), query(41, WEB, DNS_TYPE.A)];
    const connection = connect({ host: '127.0.0.1', port });
    await once(connection, 'connect');
    connection.end(Buffer.concat(frames.flatMap((frame) => [Buffer.from([frame.length >> 8, frame.length & 0xff]), frame])));
    const received: Buffer[] = [];
    connection.on('data', (chunk: Buffer) => received.push(chunk));
    await once(connection, 'close');
    const bytes = Buffer.concat(received);
    const ids: number[] = [];
    for (let at = 0; at + 2 <= bytes.length; at += 2 + bytes.readUInt16BE(at)) ids.push(bytes.readUInt16BE(at + 2));
    assert.ok(ids.includes(41));
    assert.deepEqual(await resolver.resolve4(WEB), ['10.96.0.10']);
  });

  it('closes a TCP connection after the client half-closes, and an idle one', async () => {
    const quick = new DnsServer({ address: '127.0.0.1', port: 0, resolver: new FakeZone(), logger: silentLogger(), tcpIdleMs: 50 });
    const { port: quickPort } = await quick.listen();
    try {
      const halfClosed = connect({ host: '127.0.0.1', port: quickPort });
      await once(halfClosed, 'connect');
      const message = query(51, WEB, DNS_TYPE.A);
      halfClosed.end(Buffer.concat([Buffer.from([0, message.length]), message]));
      const chunks: Buffer[] = [];
      halfClosed.on('data', (chunk: Buffer) => chunks.push(chunk));
      await once(halfClosed, 'close');
      assert.equal(header(Buffer.concat(chunks).subarray(2)).id, 51);
      const idle = connect({ host: '127.0.0.1', port: quickPort });
      idle.on('data', () => assert.fail('nothing was asked'));
      await once(idle, 'connect');
      await once(idle, 'close');
    } finally {
      await quick.close();
    }
  });

  it('close() cuts open TCP connections', async () => {
    const closing = new DnsServer({ address: '127.0.0.1', port: 0, resolver: new FakeZone(), logger: silentLogger() });
    const { port: closingPort } = await closing.listen();
    const connection = connect({ host: '127.0.0.1', port: closingPort });
    connection.on('error', () => undefined);
    await once(connection, 'connect');
    const closed = once(connection, 'close');
    await closing.close();
    await closed;
  });

  it('listen() reports a port in use with the original error', async () => {
    const second = new DnsServer({ address: '127.0.0.1', port, resolver: new FakeZone(), logger: silentLogger() });
    await assert.rejects(second.listen(), { code: 'EADDRINUSE' });
    await second.close();
  });
});

describe('DnsServer with aliases of names outside the cluster', () => {
  const DB = `db.default.svc.${ZONE}`;
  const upstream = new DnsServer({ address: '127.0.0.1', port: 0, resolver: new FakeInternet(), logger: silentLogger() });
  let forwarder: DnsForwarder;
  /** What reached the forwarder: the client's own queries and our sub-queries. */
  const forwarded: { name: string; type: number; transport: DnsTransport }[] = [];
  let server: DnsServer;
  let port: number;
  let resolver: Resolver;

  before(async () => {
    const upstreamPort = (await upstream.listen()).port;
    forwarder = new DnsForwarder({ upstreams: [{ host: '127.0.0.1', port: upstreamPort }] });
    const counting = {
      forward: (message: Buffer, transport: DnsTransport): Promise<Buffer | undefined> => {
        const [question] = parseDnsQuery(message).questions;
        forwarded.push({ name: question?.name ?? '', type: question?.type ?? 0, transport });
        return forwarder.forward(message, transport);
      },
    };
    server = new DnsServer({ address: '127.0.0.1', port: 0, resolver: new FakeZone(), forwarder: counting, logger: silentLogger() });
    port = (await server.listen()).port;
    resolver = new Resolver({ timeout: 5_000, tries: 2 });
    resolver.setServers([`127.0.0.1:${port}`]);
  });

  beforeEach(() => {
    forwarded.length = 0;
  });

  after(async () => {
    resolver.cancel();
    await server.close();
    forwarder.close();
    await upstream.close();
  });

  it('gives a real client the addresses of the target, after the CNAME, with the upstream TTLs', async () => {
    assert.deepEqual((await resolver.resolve4(DB)).sort(), ['192.0.2.10', '192.0.2.11']);
    const expected: DnsRecord[] = [
      { name: DB, ttl: 5, data: { type: 'CNAME', target: 'db.example.com' } },
      a('db.example.com', '192.0.2.10', 300),
      a('db.example.com', '192.0.2.11', 300),
    ];
    const overUdp = await udpExchange(port, query(61, DB, DNS_TYPE.A));
    assert.deepEqual(header(overUdp), { id: 61, rcode: DNS_RCODE.NOERROR, aa: true, tc: false, answers: 3 });
    assert.deepEqual(parseDnsResponse(overUdp).answers, expected);
    const [overTcp] = await tcpExchange(port, [query(62, DB, DNS_TYPE.A)]);
    assert.deepEqual(parseDnsResponse(overTcp!).answers, expected);
    // The sub-query goes over the transport the client used.
    assert.deepEqual(forwarded.map((entry) => entry.transport), ['udp', 'udp', 'tcp']);
    assert.ok(forwarded.every((entry) => entry.name === 'db.example.com' && entry.type === DNS_TYPE.A));
  });

  it('asks AAAA for an AAAA question', async () => {
    assert.deepEqual(await resolver.resolve6(DB), ['2001:db8::10']);
    assert.deepEqual(forwarded, [{ name: 'db.example.com', type: DNS_TYPE.AAAA, transport: 'udp' }]);
  });

  it('answers the bare CNAME, NOERROR, when the target does not exist', async () => {
    const response = await udpExchange(port, query(63, `gone.default.svc.${ZONE}`, DNS_TYPE.A));
    assert.deepEqual(header(response), { id: 63, rcode: DNS_RCODE.NOERROR, aa: true, tc: false, answers: 1 });
    assert.deepEqual(parseDnsResponse(response).answers, [{ name: `gone.default.svc.${ZONE}`, ttl: 5, data: { type: 'CNAME', target: 'gone.example.com' } }]);
    assert.equal(forwarded.length, 1);
  });

  it('answers the bare CNAME, NOERROR, when the upstream is down', async () => {
    const deadForwarder = new DnsForwarder({ upstreams: [{ host: '127.0.0.1', port: 9 }], timeoutMs: 200 });
    const stranded = new DnsServer({ address: '127.0.0.1', port: 0, resolver: new FakeZone(), forwarder: deadForwarder, logger: silentLogger() });
    try {
      const response = await udpExchange((await stranded.listen()).port, query(64, DB, DNS_TYPE.A));
      assert.deepEqual(header(response), { id: 64, rcode: DNS_RCODE.NOERROR, aa: true, tc: false, answers: 1 });
      assert.deepEqual(parseDnsResponse(response).answers, [{ name: DB, ttl: 5, data: { type: 'CNAME', target: 'db.example.com' } }]);
    } finally {
      await stranded.close();
      deadForwarder.close();
    }
  });

  it('does not forward an alias whose target is in the cluster, nor CNAME and ANY questions', async () => {
    assert.equal(header(await udpExchange(port, query(65, `alias.default.svc.${ZONE}`, DNS_TYPE.A))).answers, 1);
    assert.deepEqual(await resolver.resolveCname(DB), ['db.example.com']);
    assert.equal(header(await udpExchange(port, query(66, DB, DNS_TYPE.ANY))).answers, 1);
    assert.deepEqual(forwarded, []);
  });
});

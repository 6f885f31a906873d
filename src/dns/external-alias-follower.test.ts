import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../lib/logger.js';
import type { DnsTransport } from './dns-forwarder.js';
import { encodeDnsResponse, parseDnsQuery, type ParsedQuery } from './dns-message.js';
import { DNS_RCODE, DNS_TYPE, type DnsAnswer, type DnsQuestion, type DnsRecord, type DnsResolver } from './dns-types.js';
import { ExternalAliasFollower } from './external-alias-follower.js';

const ALIAS = 'db.default.svc.cluster.local';

function cname(name: string, target: string, ttl = 5): DnsRecord {
  return { name, ttl, data: { type: 'CNAME', target } };
}
function a(name: string, address: string, ttl = 300): DnsRecord {
  return { name, ttl, data: { type: 'A', address } };
}
function answerOf(...answers: DnsRecord[]): DnsAnswer {
  return { rcode: DNS_RCODE.NOERROR, answers, authorities: [], additionals: [] };
}

/** Knows cluster.local (NXDOMAIN for names it has nothing for); nothing else. */
const zone: DnsResolver = {
  answer: (question) => {
    if (question.name === `boom.cluster.local`) throw new Error('resolver bug');
    return question.name.endsWith('cluster.local') ? { rcode: DNS_RCODE.NXDOMAIN, answers: [], authorities: [], additionals: [] } : undefined;
  },
};

interface Upstream {
  readonly asked: { query: ParsedQuery; transport: DnsTransport }[];
  readonly forward: (query: Buffer, transport: DnsTransport) => Promise<Buffer | undefined>;
}

/** An upstream answering every sub-query through `respond` (undefined: no answer). */
function upstream(respond: (query: ParsedQuery) => Buffer | undefined): Upstream {
  const asked: Upstream['asked'] = [];
  return {
    asked,
    forward: (raw, transport) => {
      const query = parseDnsQuery(raw);
      asked.push({ query, transport });
      return Promise.resolve(respond(query));
    },
  };
}

function reply(query: ParsedQuery, rcode: number, answers: DnsRecord[], truncated = false): Buffer {
  return encodeDnsResponse({ query, rcode, authoritative: false, answers, maxSize: 65535, truncated });
}

const question = (name: string, type: number): DnsQuestion => ({ name, type, class: 1 });
const request = { transport: 'udp', cd: false } as const;

describe('ExternalAliasFollower', () => {
  it('asks for the last target of the chain and appends the records on its chain, in order', async () => {
    // The upstream's answer: an alias of its own, the address, and two records off the chain.
    const up = upstream((query) => reply(query, 0, [
      cname('db.example.com', 'db.eu.example.net', 60),
      a('db.eu.example.net', '192.0.2.10'),
      a('unrelated.example.org', '192.0.2.66'),
      { name: 'db.eu.example.net', ttl: 60, data: { type: 'AAAA', address: '2001:db8::1' } },
    ]));
    const follower = new ExternalAliasFollower({ resolver: zone, forward: up.forward, logger: silentLogger() });
    const ours = answerOf(cname(ALIAS, 'web.default.svc.cluster.local'), cname('web.default.svc.cluster.local', 'DB.example.com'));
    const { answer, truncated } = await follower.follow(question(ALIAS, DNS_TYPE.A), ours, { transport: 'tcp', cd: true });
    // The owner comes back as the question was written: compressed against it, as servers do.
    assert.deepEqual(answer.answers, [...ours.answers, cname('DB.example.com', 'db.eu.example.net', 60), a('db.eu.example.net', '192.0.2.10')]);
    assert.equal(truncated, false);
    assert.equal(up.asked.length, 1);
    const [{ query, transport } = assert.fail('not asked')] = up.asked;
    assert.deepEqual(query.questions, [question('DB.example.com', DNS_TYPE.A)]);
    assert.deepEqual([query.flags.rd, query.flags.cd, query.ednsUdpSize, transport], [true, true, 1232, 'tcp']);
  });

  it('leaves alone other types, error answers, answers without an alias, loops and completed chains', async () => {
    const up = upstream((query) => reply(query, 0, [a('db.example.com', '192.0.2.10')]));
    const follower = new ExternalAliasFollower({ resolver: zone, forward: up.forward, logger: silentLogger() });
    const alias = answerOf(cname(ALIAS, 'db.example.com'));
    for (const type of [DNS_TYPE.ANY, DNS_TYPE.CNAME, DNS_TYPE.TXT, DNS_TYPE.SRV]) {
      assert.equal((await follower.follow(question(ALIAS, type), alias, request)).answer, alias);
    }
    const cases: DnsAnswer[] = [
      { ...alias, rcode: DNS_RCODE.NXDOMAIN },
      answerOf(a(ALIAS, '10.96.0.1')),
      answerOf(cname(ALIAS, 'x.example.com'), cname('x.example.com', ALIAS)),
      answerOf(cname(ALIAS, 'db.example.com'), a('db.example.com', '192.0.2.99')),
      // Targets of ours (even a missing one) and one the resolver fails for are not asked outside.
      answerOf(cname(ALIAS, 'other.default.svc.cluster.local')),
      answerOf(cname(ALIAS, 'boom.cluster.local')),
    ];
    for (const ours of cases) assert.equal((await follower.follow(question(ALIAS, DNS_TYPE.A), ours, request)).answer, ours);
    assert.equal(up.asked.length, 0);
  });

  it('keeps the bare alias when the upstream says NXDOMAIN, fails, is silent or answers garbage', async () => {
    const responses: ((query: ParsedQuery) => Buffer | undefined)[] = [
      (query) => reply(query, DNS_RCODE.NXDOMAIN, []),
      (query) => reply(query, DNS_RCODE.SERVFAIL, [a('db.example.com', '192.0.2.10')]),
      (query) => reply(query, DNS_RCODE.REFUSED, []),
      () => undefined,
      () => Buffer.from('not a dns message'),
      (query) => reply({ ...query, id: (query.id + 1) & 0xffff }, 0, [a('db.example.com', '192.0.2.10')]),
      (query) => reply({ ...query, questions: [question('evil.example.com', DNS_TYPE.A)] }, 0, [a('evil.example.com', '192.0.2.66')]),
      // A query, not a response: QR clear.
      (query) => {
        const message = reply(query, 0, [a('db.example.com', '192.0.2.10')]);
        message.writeUInt16BE(message.readUInt16BE(2) & 0x7fff, 2);
        return message;
      },
    ];
    const alias = answerOf(cname(ALIAS, 'db.example.com'));
    for (const respond of responses) {
      const up = upstream(respond);
      const follower = new ExternalAliasFollower({ resolver: zone, forward: up.forward, logger: silentLogger() });
      const { answer } = await follower.follow(question(ALIAS, DNS_TYPE.A), alias, request);
      assert.deepEqual(answer, alias);
      assert.equal(up.asked.length, 1);
    }
  });

  it('appends the CNAMEs of an NXDOMAIN answer: the chain exists up to its missing end', async () => {
    const up = upstream((query) => reply(query, DNS_RCODE.NXDOMAIN, [cname('db.example.com', 'gone.example.net')]));
    const follower = new ExternalAliasFollower({ resolver: zone, forward: up.forward, logger: silentLogger() });
    const { answer } = await follower.follow(question(ALIAS, DNS_TYPE.A), answerOf(cname(ALIAS, 'db.example.com')), request);
    assert.deepEqual(answer, answerOf(cname(ALIAS, 'db.example.com'), cname('db.example.com', 'gone.example.net')));
  });

  it('passes a truncated UDP answer on as truncated, with what came back', async () => {
    const up = upstream((query) => reply(query, 0, [a('db.example.com', '192.0.2.10')], true));
    const follower = new ExternalAliasFollower({ resolver: zone, forward: up.forward, logger: silentLogger() });
    const alias = answerOf(cname(ALIAS, 'db.example.com'));
    const overUdp = await follower.follow(question(ALIAS, DNS_TYPE.A), alias, request);
    assert.deepEqual(overUdp, { answer: answerOf(cname(ALIAS, 'db.example.com'), a('db.example.com', '192.0.2.10')), truncated: true });
    assert.equal((await follower.follow(question(ALIAS, DNS_TYPE.A), alias, { transport: 'tcp', cd: false })).truncated, false);
  });

  it('asks each sub-query with a fresh id', async () => {
    const up = upstream((query) => reply(query, 0, []));
    const follower = new ExternalAliasFollower({ resolver: zone, forward: up.forward, logger: silentLogger() });
    for (let i = 0; i < 20; i++) await follower.follow(question(ALIAS, DNS_TYPE.AAAA), answerOf(cname(ALIAS, 'db.example.com')), request);
    // 20 random 16-bit ids: all equal only with a broken generator.
    assert.ok(new Set(up.asked.map(({ query }) => query.id)).size > 1);
    assert.ok(up.asked.every(({ query }) => query.questions[0]?.type === DNS_TYPE.AAAA));
  });
});

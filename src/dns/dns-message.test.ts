import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DnsFormatError,
  encodeDnsErrorResponse,
  encodeDnsQuery,
  encodeDnsResponse,
  maxUdpResponseSize,
  parseDnsQuery,
  parseDnsResponse,
  peekDnsHeader,
  type ParsedQuery,
} from './dns-message.js';
import { DNS_RCODE, DNS_TYPE, type DnsRecord } from './dns-types.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

// id 0x1234, RD, one question: a.b A IN.
const A_QUERY = hex('1234 0100 0001 0000 0000 0000  01 61 01 62 00  0001 0001');
// The same with an OPT record: UDP size 4096, version 0, no options.
const A_QUERY_EDNS = hex('1234 0100 0001 0000 0000 0001  01 61 01 62 00  0001 0001  00 0029 1000 00000000 0000');

function query(name: string, type: number, extra: Partial<ParsedQuery> = {}): ParsedQuery {
  return { id: 7, flags: { id: 7, qr: false, opcode: 0, rd: true, cd: false }, questions: [{ name, type, class: 1 }], ...extra };
}

describe('parseDnsQuery', () => {
  it('reads a hand-written A query', () => {
    const parsed = parseDnsQuery(A_QUERY);
    assert.equal(parsed.id, 0x1234);
    assert.equal(parsed.flags.opcode, 0);
    assert.equal(parsed.flags.rd, true);
    assert.equal(parsed.flags.qr, false);
    assert.deepEqual(parsed.questions, [{ name: 'a.b', type: DNS_TYPE.A, class: 1 }]);
    assert.equal('ednsUdpSize' in parsed, false);
  });

  it('reads the UDP size of an OPT record', () => {
    assert.equal(parseDnsQuery(A_QUERY_EDNS).ednsUdpSize, 4096);
  });

  it('rejects two OPT records and an OPT not owned by the root', () => {
    const opt = '00 0029 1000 00000000 0000';
    const two = hex(`1234 0100 0001 0000 0000 0002 01 61 01 62 00 0001 0001 ${opt} ${opt}`);
    assert.throws(() => parseDnsQuery(two), (error: unknown) => error instanceof DnsFormatError && error.code === 'BadOpt');
    const owned = hex('1234 0100 0001 0000 0000 0001 01 61 01 62 00 0001 0001 c00c 0029 1000 00000000 0000');
    assert.throws(() => parseDnsQuery(owned), (error: unknown) => error instanceof DnsFormatError && error.code === 'BadOpt');
  });

  it('follows compression pointers and keeps the case', () => {
    // Second question: "C" + pointer to the first name at offset 12.
    const message = hex('0001 0000 0002 0000 0000 0000  01 61 01 42 00 0001 0001  01 43 c0 0c 001c 0001');
    assert.deepEqual(parseDnsQuery(message).questions, [
      { name: 'a.B', type: 1, class: 1 },
      { name: 'C.a.B', type: 28, class: 1 },
    ]);
  });

  it('rejects pointer loops and forward pointers', () => {
    const self = hex('0001 0000 0001 0000 0000 0000  c0 0c 0001 0001');
    assert.throws(() => parseDnsQuery(self), (error: unknown) => error instanceof DnsFormatError && error.code === 'BadPointer');
    const forward = hex('0001 0000 0001 0000 0000 0000  c0 0e 01 61 00 0001 0001');
    assert.throws(() => parseDnsQuery(forward), (error: unknown) => error instanceof DnsFormatError && error.code === 'BadPointer');
    // a -> pointer back to its own start through a label: 01 61 c0 0c at offset 12.
    const cycle = hex('0001 0000 0001 0000 0000 0000  01 61 c0 0c 0001 0001');
    assert.throws(() => parseDnsQuery(cycle), (error: unknown) => error instanceof DnsFormatError && error.code === 'BadPointer');
  });

  it('escapes odd label bytes and writes them back unchanged', () => {
    const message = hex('0001 0000 0001 0000 0000 0000  05 61 2e 00 20 5c 01 5f 00 0001 0001');
    const parsed = parseDnsQuery(message);
    assert.equal(parsed.questions[0]?.name, 'a\\.\\000\\032\\\\._');
    const response = encodeDnsResponse({ query: parsed, rcode: 0, authoritative: false, maxSize: 512 });
    assert.deepEqual(response.subarray(12), message.subarray(12));
  });

  it('rejects names over 255 bytes, reserved label types and a short header', () => {
    const long = Buffer.concat([hex('0001 0000 0001 0000 0000 0000'), ...Array.from({ length: 5 }, () => Buffer.concat([Buffer.from([63]), Buffer.alloc(63, 0x61)])), hex('00 0001 0001')]);
    assert.throws(() => parseDnsQuery(long), (error: unknown) => error instanceof DnsFormatError && error.code === 'NameTooLong');
    const reserved = hex('0001 0000 0001 0000 0000 0000  41 61 00 0001 0001');
    assert.throws(() => parseDnsQuery(reserved), (error: unknown) => error instanceof DnsFormatError && error.code === 'BadLabel');
    assert.throws(() => parseDnsQuery(hex('0001')), (error: unknown) => error instanceof DnsFormatError && error.code === 'ShortHeader');
  });

  it('never throws anything but DnsFormatError (random bytes, truncations, bit flips)', () => {
    const valid = hex('1234 0100 0002 0001 0000 0001  03 77 65 62 01 73 00 0001 0001  01 43 c0 0c 001c 0001  c0 0c 0001 0001 0000001e 0004 0a000001  00 0029 1000 00000000 0000');
    assert.equal(parseDnsQuery(valid).questions.length, 2);
    fuzz(parseDnsQuery, valid, 42);
  });
});

describe('encodeDnsResponse', () => {
  it('writes a hand-computed A answer', () => {
    const response = encodeDnsResponse({
      query: parseDnsQuery(A_QUERY),
      rcode: DNS_RCODE.NOERROR,
      authoritative: true,
      answers: [{ name: 'a.b', ttl: 30, data: { type: 'A', address: '10.0.0.1' } }],
      maxSize: 512,
    });
    // QR AA RD RA = 0x8580; the answer's owner is a pointer to the question's name.
    assert.equal(response.toString('hex'), hex('1234 8580 0001 0001 0000 0000  01 61 01 62 00 0001 0001  c00c 0001 0001 0000001e 0004 0a000001').toString('hex'));
  });

  it('copies opcode, RD and CD, and sets the rcode', () => {
    const parsed = query('x', 1, { flags: { id: 7, qr: false, opcode: 0, rd: false, cd: true } });
    const response = encodeDnsResponse({ query: parsed, rcode: DNS_RCODE.NXDOMAIN, authoritative: false, maxSize: 512 });
    assert.equal(response.readUInt16BE(2), 0x8000 | 0x0080 | 0x0010 | 3);
  });

  it('writes SRV (uncompressed target), SOA (compressed names) and TXT', () => {
    const records: DnsRecord[] = [
      { name: 's', ttl: 5, data: { type: 'SRV', priority: 1, weight: 10, port: 80, target: 'web.s' } },
      { name: 's', ttl: 5, data: { type: 'SOA', mname: 'ns.s', rname: 'h.s', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 } },
      { name: 's', ttl: 5, data: { type: 'TXT', texts: ['hi', ''] } },
    ];
    const response = encodeDnsResponse({ query: query('s', 255), rcode: 0, authoritative: true, answers: records, maxSize: 512 });
    const expected = [
      '0001 0003 0000 0000', // the header after id and flags
      '01 73 00 00ff 0001', // question at offset 12
      'c00c 0021 0001 00000005 000d 0001 000a 0050 03 77 65 62 01 73 00',
      'c00c 0006 0001 00000005 001d 02 6e 73 c0 0c 01 68 c0 0c 00000001 00000002 00000003 00000004 00000005',
      'c00c 0010 0001 00000005 0004 02 68 69 00',
    ].join('');
    assert.equal(response.subarray(4).toString('hex'), hex(expected).toString('hex'));
  });

  it('rejects bad addresses and names (the server answers SERVFAIL)', () => {
    const encode = (record: DnsRecord): Buffer => encodeDnsResponse({ query: query('v', 1), rcode: 0, authoritative: true, answers: [record], maxSize: 512 });
    assert.throws(() => encode({ name: 'v', ttl: 1, data: { type: 'A', address: '::1' } }), DnsFormatError);
    assert.throws(() => encode({ name: 'v', ttl: 1, data: { type: 'AAAA', address: '1.2.3.4' } }), DnsFormatError);
    assert.throws(() => encode({ name: 'a..b', ttl: 1, data: { type: 'A', address: '1.2.3.4' } }), DnsFormatError);
  });

  it('compresses shared suffixes case-insensitively', () => {
    const name = 'web.default.svc.cluster.local';
    const answers: DnsRecord[] = [
      { name: 'WEB.default.svc.cluster.local', ttl: 1, data: { type: 'CNAME', target: 'db.default.svc.cluster.local' } },
    ];
    const response = encodeDnsResponse({ query: query(name, 1), rcode: 0, authoritative: true, answers, maxSize: 512 });
    // Question (31 bytes of name); answer owner is a pointer; target is "db" + a pointer to "default...".
    assert.equal(response.subarray(12 + 35).toString('hex'), hex('c00c 0005 0001 00000001 0005 02 64 62 c0 10').toString('hex'));
  });

  it('drops records from the end and sets TC when an answer does not fit', () => {
    const name = 'web.default.svc.cluster.local';
    const answers: DnsRecord[] = Array.from({ length: 60 }, (_, i) => ({ name, ttl: 5, data: { type: 'A', address: `10.0.0.${i}` } }));
    const udp = encodeDnsResponse({ query: query(name, 1), rcode: 0, authoritative: true, answers, maxSize: 512 });
    assert.ok(udp.length <= 512);
    // 12 + 35 bytes of question, then 16 bytes per compressed A record: 29 fit.
    assert.equal(udp.readUInt16BE(6), 29);
    assert.equal(udp.readUInt16BE(2) & 0x0200, 0x0200);
    const tcp = encodeDnsResponse({ query: query(name, 1), rcode: 0, authoritative: true, answers, maxSize: 65535 });
    assert.equal(tcp.readUInt16BE(6), 60);
    assert.equal(tcp.readUInt16BE(2) & 0x0200, 0);
  });

  it('drops additionals first, without TC', () => {
    const name = 'web.default.svc.cluster.local';
    const a = (i: number): DnsRecord => ({ name, ttl: 5, data: { type: 'A', address: `10.0.0.${i}` } });
    const response = encodeDnsResponse({
      query: query(name, 1),
      rcode: 0,
      authoritative: true,
      answers: Array.from({ length: 20 }, (_, i) => a(i)),
      authorities: [{ name: 'cluster.local', ttl: 5, data: { type: 'NS', target: 'ns.dns.cluster.local' } }],
      additionals: Array.from({ length: 20 }, (_, i) => a(i + 100)),
      maxSize: 512,
    });
    assert.deepEqual([response.readUInt16BE(6), response.readUInt16BE(8)], [20, 1]);
    assert.ok(response.readUInt16BE(10) < 20);
    assert.equal(response.readUInt16BE(2) & 0x0200, 0);
  });

  it('adds an OPT record when the query had one, also when truncated', () => {
    const parsed = parseDnsQuery(A_QUERY_EDNS);
    assert.equal(maxUdpResponseSize(parsed), 1232);
    const response = encodeDnsResponse({ query: parsed, rcode: 0, authoritative: true, maxSize: maxUdpResponseSize(parsed) });
    assert.equal(response.readUInt16BE(10), 1);
    assert.equal(response.subarray(-11).toString('hex'), hex('00 0029 04d0 00000000 0000').toString('hex'));
    const answers: DnsRecord[] = Array.from({ length: 100 }, (_, i) => ({ name: 'a.b', ttl: 5, data: { type: 'A', address: `10.0.1.${i}` } }));
    const big = encodeDnsResponse({ query: parsed, rcode: 0, authoritative: true, answers, maxSize: 512 });
    assert.ok(big.length <= 512);
    assert.equal(big.readUInt16BE(2) & 0x0200, 0x0200);
    assert.equal(big.readUInt16BE(10), 1);
    assert.equal(big.subarray(-11).readUInt16BE(1), DNS_TYPE.OPT);
  });

  it('sets TC when told the records are incomplete, even though they fit', () => {
    const answers: DnsRecord[] = [{ name: 'a.b', ttl: 5, data: { type: 'A', address: '10.0.0.1' } }];
    const response = encodeDnsResponse({ query: parseDnsQuery(A_QUERY), rcode: 0, authoritative: true, answers, maxSize: 512, truncated: true });
    assert.equal(response.readUInt16BE(2) & 0x0200, 0x0200);
    assert.equal(response.readUInt16BE(6), 1);
  });

  it('sizes UDP answers: 512 without EDNS, the client size within 512..1232 with it', () => {
    assert.equal(maxUdpResponseSize({}), 512);
    assert.equal(maxUdpResponseSize({ ednsUdpSize: 100 }), 512);
    assert.equal(maxUdpResponseSize({ ednsUdpSize: 1000 }), 1000);
    assert.equal(maxUdpResponseSize({ ednsUdpSize: 4096 }), 1232);
  });
});

describe('encodeDnsErrorResponse', () => {
  it('echoes id, opcode and RD in a header-only answer', () => {
    const garbage = hex('beef 2900 ffff ffff ffff ffff 01');
    const response = encodeDnsErrorResponse(garbage, DNS_RCODE.NOTIMP);
    assert.ok(response !== undefined);
    assert.equal(response.toString('hex'), hex('beef a984 0000 0000 0000 0000').toString('hex'));
    assert.deepEqual(peekDnsHeader(response), { id: 0xbeef, qr: true, opcode: 5, rd: true, cd: false });
  });

  it('gives nothing when there is no header', () => {
    assert.equal(encodeDnsErrorResponse(hex('beef 01'), DNS_RCODE.FORMERR), undefined);
  });
});

describe('encodeDnsQuery', () => {
  it('writes a recursive query with an OPT record advertising 1232 bytes', () => {
    const message = encodeDnsQuery({ id: 0x1234, question: { name: 'a.b', type: DNS_TYPE.A, class: 1 } });
    assert.equal(message.toString('hex'), hex('1234 0100 0001 0000 0000 0001  01 61 01 62 00 0001 0001  00 0029 04d0 00000000 0000').toString('hex'));
    const parsed = parseDnsQuery(message);
    assert.equal(parsed.ednsUdpSize, 1232);
    assert.deepEqual(parsed.flags, { id: 0x1234, qr: false, opcode: 0, rd: true, cd: false });
  });

  it('writes CD, no RD and no OPT when asked', () => {
    const message = encodeDnsQuery({ id: 1, question: { name: 'a.b', type: DNS_TYPE.AAAA, class: 1 }, rd: false, cd: true, edns: false });
    assert.equal(message.toString('hex'), hex('0001 0010 0001 0000 0000 0000  01 61 01 62 00 001c 0001').toString('hex'));
  });

  it('rejects a question name that is no name', () => {
    assert.throws(() => encodeDnsQuery({ id: 1, question: { name: 'a..b', type: 1, class: 1 } }), DnsFormatError);
  });
});

describe('parseDnsResponse', () => {
  // id 0xabcd, QR RD RA, question x.ex A IN at 12; answers: x.ex CNAME y.ex (y.ex written at 34),
  // y.ex TXT (skipped), y.ex A 192.0.2.1, y.ex AAAA 2001:db8::1 with a TTL that has the top bit set.
  const RESPONSE = hex(`
    abcd 8180 0001 0004 0000 0000  01 78 02 65 78 00 0001 0001
    c00c 0005 0001 0000003c 0004 01 79 c0 0e
    c022 0010 0001 0000003c 0003 02 68 69
    c022 0001 0001 0000003c 0004 c0000201
    c022 001c 0001 80000000 0010 20010db8000000000000000000000001`);
  const EXPECTED: DnsRecord[] = [
    { name: 'x.ex', ttl: 60, data: { type: 'CNAME', target: 'y.ex' } },
    { name: 'y.ex', ttl: 60, data: { type: 'A', address: '192.0.2.1' } },
    { name: 'y.ex', ttl: 0, data: { type: 'AAAA', address: '2001:db8::1' } },
  ];

  it('reads header, question and the A, AAAA and CNAME answers, following pointers', () => {
    const parsed = parseDnsResponse(RESPONSE);
    assert.equal(parsed.id, 0xabcd);
    assert.equal(parsed.flags.qr, true);
    assert.equal(parsed.rcode, 0);
    assert.equal(parsed.truncated, false);
    assert.deepEqual(parsed.questions, [{ name: 'x.ex', type: 1, class: 1 }]);
    assert.deepEqual(parsed.answers, EXPECTED);
  });

  it('reads the rcode and TC, and keeps the records before the cut of a truncated message', () => {
    const cut = Buffer.from(RESPONSE.subarray(0, 60));
    cut.writeUInt16BE(0x8383, 2); // TC and NXDOMAIN
    const parsed = parseDnsResponse(cut);
    assert.deepEqual([parsed.rcode, parsed.truncated], [DNS_RCODE.NXDOMAIN, true]);
    assert.deepEqual(parsed.answers, EXPECTED.slice(0, 1));
    // Without TC, a message that ends early is malformed.
    assert.throws(() => parseDnsResponse(RESPONSE.subarray(0, 60)), (error: unknown) => error instanceof DnsFormatError && error.code === 'Truncated');
  });

  it('never throws anything but DnsFormatError (truncations, bit flips, random bytes)', () => {
    for (const valid of [RESPONSE, Buffer.concat([RESPONSE.subarray(0, 2), hex('8380'), RESPONSE.subarray(4)])]) fuzz(parseDnsResponse, valid, 4242);
  });
});

/**
 * Feeds `parse` every truncation of `valid`, 20,000 single-bit flips of it, and random bytes after
 * its header, after part of its question, and alone: anything thrown must be a DnsFormatError.
 */
function fuzz(parse: (bytes: Buffer) => unknown, valid: Buffer, seed: number): void {
  let state = seed;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const check = (bytes: Buffer): void => {
    try {
      parse(bytes);
    } catch (error) {
      if (!(error instanceof DnsFormatError)) throw error;
    }
  };
  for (let end = 0; end <= valid.length; end++) check(valid.subarray(0, end));
  for (let i = 0; i < 20_000; i++) {
    const flipped = Buffer.from(valid);
    const at = Math.floor(random() * flipped.length);
    flipped[at] = (flipped[at] ?? 0) ^ (1 << Math.floor(random() * 8));
    check(flipped);
    const noise = Buffer.from(Array.from({ length: Math.floor(random() * 80) }, () => Math.floor(random() * 256)));
    check(Buffer.concat([valid.subarray(0, 12), noise]));
    check(Buffer.concat([valid.subarray(0, 22 + Math.floor(random() * 30)), noise]));
    check(noise);
  }
}

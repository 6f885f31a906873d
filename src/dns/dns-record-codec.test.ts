import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DnsFormatError } from './dns-format-error.js';
import { MessageWriter } from './dns-message-writer.js';
import { readDnsRecord, readDnsRecordFrame, writeDnsRecord } from './dns-record-codec.js';
import type { DnsRecord } from './dns-types.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

function written(...records: DnsRecord[]): Buffer {
  const writer = new MessageWriter();
  for (const record of records) writeDnsRecord(writer, record);
  return writer.toBuffer();
}

/** Every record of a buffer of records, as readDnsRecord gives them. */
function readAll(buffer: Buffer): (DnsRecord | undefined)[] {
  const records: (DnsRecord | undefined)[] = [];
  for (let offset = 0; offset < buffer.length;) {
    const frame = readDnsRecordFrame(buffer, offset);
    records.push(readDnsRecord(buffer, frame));
    offset = frame.end;
  }
  return records;
}

describe('writeDnsRecord', () => {
  it('splits TXT strings longer than 255 bytes', () => {
    // Owner "t" (3 bytes), type, class, TTL, then the length at 11 and the data at 13.
    const bytes = written({ name: 't', ttl: 1, data: { type: 'TXT', texts: ['x'.repeat(300)] } });
    assert.equal(bytes.readUInt16BE(11), 302);
    assert.equal(bytes[13], 255);
    assert.equal(bytes[13 + 256], 45);
  });

  it('writes AAAA addresses, also with :: and an embedded IPv4', () => {
    const bytes = written({ name: 'v', ttl: 1, data: { type: 'AAAA', address: '2001:db8::1' } }, { name: 'v', ttl: 1, data: { type: 'AAAA', address: '::ffff:1.2.3.4' } });
    assert.equal(bytes.subarray(13, 29).toString('hex'), '20010db8000000000000000000000001');
    // The second owner is a pointer: 2 bytes, then 10 of type, class, TTL and length.
    assert.equal(bytes.subarray(29 + 12).toString('hex'), '00000000000000000000ffff01020304');
  });
});

describe('readDnsRecord', () => {
  it('reads back A, CNAME and AAAA as written, IPv6 in RFC 5952 form, and skips other types', () => {
    const records: DnsRecord[] = [
      { name: 'alias.default.svc.cluster.local', ttl: 5, data: { type: 'CNAME', target: 'db.example.com' } },
      { name: 'db.example.com', ttl: 300, data: { type: 'A', address: '192.0.2.10' } },
      { name: 'db.example.com', ttl: 300, data: { type: 'AAAA', address: '2001:DB8:0:0:1:0:0:1' } },
      { name: 'db.example.com', ttl: 300, data: { type: 'AAAA', address: '::ffff:1.2.3.4' } },
      { name: 'db.example.com', ttl: 300, data: { type: 'AAAA', address: 'fe80:0:0:1::' } },
      { name: 'db.example.com', ttl: 300, data: { type: 'AAAA', address: '::' } },
      { name: 's', ttl: 1, data: { type: 'SRV', priority: 0, weight: 1, port: 2, target: 'db.example.com' } },
    ];
    const read = readAll(written(...records));
    assert.deepEqual(read.slice(0, 2), records.slice(0, 2));
    const addresses = read.slice(2, 6).map((record) => (record?.data.type === 'AAAA' ? record.data.address : undefined));
    assert.deepEqual(addresses, ['2001:db8::1:0:0:1', '::ffff:102:304', 'fe80:0:0:1::', '::']);
    assert.equal(read[6], undefined);
  });

  it('skips classes other than IN, and reads a TTL with the top bit set as 0', () => {
    assert.deepEqual(readAll(hex('00 0001 0003 0000003c 0004 c0000201  00 0001 0001 ffffffff 0004 c0000201')), [
      undefined,
      { name: '', ttl: 0, data: { type: 'A', address: '192.0.2.1' } },
    ]);
  });

  it('rejects record data that does not fit its type, and a record cut short', () => {
    const isBadRecord = (error: unknown): boolean => error instanceof DnsFormatError && error.code === 'BadRecord';
    assert.throws(() => readAll(hex('00 0001 0001 0000003c 0003 010203')), isBadRecord);
    assert.throws(() => readAll(hex('00 001c 0001 0000003c 0004 c0000201')), isBadRecord);
    // A CNAME whose name runs past its data length.
    assert.throws(() => readAll(hex('00 0005 0001 0000003c 0001 01 61 00')), isBadRecord);
    assert.throws(() => readAll(hex('00 0001 0001 0000003c 0004 c000')), (error: unknown) => error instanceof DnsFormatError && error.code === 'Truncated');
  });
});

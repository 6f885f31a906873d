import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError } from '../../lib/errors.js';
import { WireReader } from './wire-reader.js';
import { varint } from './fixtures/proto-bytes.js';

const reader = (...bytes: number[]) => new WireReader({ bytes: Uint8Array.from(bytes) });

void describe('WireReader', () => {
  void it('reads varints of every length up to ten bytes', () => {
    assert.equal(reader(0x00).readVarint(), 0n);
    assert.equal(reader(0xac, 0x02).readVarint(), 300n);
    assert.equal(reader(0xff, 0xff, 0xff, 0xff, 0x0f).readVarint(), 0xffffffffn);
    const max = reader(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
    assert.equal(max.readVarint(), 0xffffffffffffffffn);
    assert.ok(max.done);
  });

  void it('decodes negative int32 and int64 from their sign-extended ten-byte form', () => {
    assert.equal(new WireReader({ bytes: varint(-1) }).readInt32(), -1);
    assert.equal(new WireReader({ bytes: varint(-2147483648) }).readInt32(), -2147483648);
    assert.equal(new WireReader({ bytes: varint(-5) }).readInt64(), -5);
    assert.equal(new WireReader({ bytes: varint(2 ** 40 + 3) }).readInt64(), 2 ** 40 + 3);
  });

  void it('rejects int64 values a JS number cannot hold exactly', () => {
    assert.throws(() => new WireReader({ bytes: varint(2n ** 60n) }).readInt64(), BadRequestError);
  });

  void it('rejects truncated and over-long varints', () => {
    assert.throws(() => reader(0x80, 0x80).readVarint(), /truncated varint/);
    assert.throws(() => reader(...new Array<number>(11).fill(0x80), 0x01).readVarint(), /longer than 10 bytes/);
  });

  void it('reads tags and rejects groups, reserved wire types and field number 0', () => {
    assert.deepEqual(reader(0x08).readTag(), { fieldNumber: 1, wireType: 'varint' });
    assert.deepEqual(reader(0x92, 0x01).readTag(), { fieldNumber: 18, wireType: 'bytes' });
    assert.deepEqual(reader(0x0d).readTag(), { fieldNumber: 1, wireType: 'fixed32' });
    assert.deepEqual(reader(0x09).readTag(), { fieldNumber: 1, wireType: 'fixed64' });
    for (const wt of [3, 4, 6, 7]) {
      assert.throws(() => reader(0x08 | wt).readTag(), /unsupported wire type/, `wire type ${wt}`);
    }
    assert.throws(() => reader(0x02).readTag(), /invalid field number 0/);
  });

  void it('reads length-delimited payloads as bounded views and refuses lengths past the end', () => {
    const r = reader(0x03, 0x61, 0x62, 0x63, 0x01);
    assert.equal(r.readString(), 'abc');
    assert.equal(r.position, 4);
    assert.throws(() => reader(0x05, 0x61).readBytes(), /runs past the end/);
    // A sub-reader is confined to its own message.
    const outer = reader(0x02, 0x08, 0x01, 0x08, 0x02);
    const inner = outer.readMessage();
    assert.equal(inner.readTag().fieldNumber, 1);
    assert.equal(inner.readVarint(), 1n);
    assert.ok(inner.done);
    assert.equal(outer.readTag().fieldNumber, 1);
  });

  void it('replaces invalid UTF-8 instead of failing', () => {
    assert.equal(reader(0x02, 0xff, 0x41).readString(), '\ufffdA');
  });

  void it('reads little-endian fixed32 and fixed64 and refuses truncated ones', () => {
    assert.equal(reader(0x01, 0x02, 0x00, 0x00).readFixed32(), 0x0201);
    assert.equal(reader(0x01, 0, 0, 0, 0, 0, 0, 0x80).readFixed64(), 0x8000000000000001n);
    assert.throws(() => reader(0x01, 0x02).readFixed32(), /truncated 4-byte/);
  });

  void it('skips one value of each wire type', () => {
    const r = reader(0xac, 0x02, 1, 2, 3, 4, 5, 6, 7, 8, 0x02, 9, 9, 1, 2, 3, 4, 0x2a);
    r.skip('varint');
    r.skip('fixed64');
    r.skip('bytes');
    r.skip('fixed32');
    assert.equal(r.readVarint(), 42n);
    assert.ok(r.done);
    assert.throws(() => reader(0x01).skip('fixed64'), BadRequestError);
  });

  void it('checks its window against the buffer', () => {
    assert.throws(() => new WireReader({ bytes: new Uint8Array(2), start: 1, end: 3 }), BadRequestError);
    const windowed = new WireReader({ bytes: Uint8Array.from([0x01, 0x02, 0x03]), start: 1, end: 2 });
    assert.equal(windowed.readVarint(), 2n);
    assert.ok(windowed.done);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFrame, SpdyFrameParser, SpdyProtocolError, type SpdyFrame } from './spdy-frames.js';

const frames: SpdyFrame[] = [
  { type: 'syn_stream', streamId: 1, associatedId: 0, priority: 3, fin: false, unidirectional: true, headerBlock: Buffer.from('abc') },
  { type: 'syn_reply', streamId: 1, fin: true, headerBlock: Buffer.from('xy') },
  { type: 'headers', streamId: 3, fin: false, headerBlock: Buffer.alloc(0) },
  { type: 'data', streamId: 3, fin: true, data: Buffer.from('hello') },
  { type: 'data', streamId: 5, fin: false, data: Buffer.alloc(0) },
  { type: 'rst_stream', streamId: 3, status: 5 },
  { type: 'settings', clear: false, entries: [{ id: 7, flags: 1, value: 262144 }, { id: 4, flags: 0, value: 100 }] },
  { type: 'ping', id: 0xfffffffe },
  { type: 'goaway', lastGoodStreamId: 9, status: 1 },
  { type: 'window_update', streamId: 0, delta: 0x7fffffff },
];

test('every frame type survives encode and parse, even fed one byte at a time', () => {
  const wire = Buffer.concat(frames.map(encodeFrame));
  const parser = new SpdyFrameParser();
  const parsed: SpdyFrame[] = [];
  for (const byte of wire) parsed.push(...parser.push(Buffer.from([byte])));
  assert.deepEqual(parsed, frames);
});

test('the control frame header is the SPDY/3 layout kubectl sends', () => {
  // kubectl's first WebSocket message was `80 03` (control bit + version 3).
  const ping = encodeFrame({ type: 'ping', id: 1 });
  assert.deepEqual([...ping], [0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 1]);
  const data = encodeFrame({ type: 'data', streamId: 3, fin: true, data: Buffer.from('a') });
  assert.deepEqual([...data], [0, 0, 0, 3, 0x01, 0, 0, 1, 0x61]);
});

test('an unknown control type is surfaced as unknown; a wrong version is a protocol error', () => {
  const unknown = Buffer.from([0x80, 0x03, 0x00, 0x0a, 0, 0, 0, 0]);
  assert.deepEqual(new SpdyFrameParser().push(unknown), [{ type: 'unknown', controlType: 10 }]);
  const v2 = Buffer.from([0x80, 0x02, 0x00, 0x06, 0, 0, 0, 4, 0, 0, 0, 1]);
  assert.throws(() => new SpdyFrameParser().push(v2), SpdyProtocolError);
});

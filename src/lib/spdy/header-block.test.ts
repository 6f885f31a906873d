import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { decodeHeaderBlock, encodeHeaderBlock, HeaderCompressor, HeaderDecompressor } from './header-block.js';
import { SPDY3_DICTIONARY } from './spdy-dictionary.js';

test('plain header blocks: count, length-prefixed lower-case names and values', () => {
  const block = encodeHeaderBlock({ StreamType: 'error', port: '80' });
  assert.equal(block.readUInt32BE(0), 2);
  assert.equal(block.readUInt32BE(4), 'streamtype'.length);
  assert.equal(block.toString('utf8', 8, 18), 'streamtype');
  assert.deepEqual(decodeHeaderBlock(block), { streamtype: 'error', port: '80' });
});

test('one persistent deflate/inflate pair per direction, blocks in order', async () => {
  const compressor = new HeaderCompressor();
  const decompressor = new HeaderDecompressor();
  const sets = [
    { streamtype: 'error', port: '80', requestid: '0' },
    { streamtype: 'data', port: '80', requestid: '0' },
    { streamtype: 'data', port: '80', requestid: '1' },
    {},
  ];
  const blocks = await Promise.all(sets.map((headers) => compressor.compress(headers)));
  // The second block reuses the first's history, so it is much shorter than a fresh one.
  assert.ok((blocks[1]?.length ?? 0) < (blocks[0]?.length ?? 0));
  // Each block ends with a sync flush (00 00 ff ff) so the peer can decode it alone.
  for (const block of blocks) assert.deepEqual([...block.subarray(-4)], [0, 0, 0xff, 0xff]);
  // The first block alone is a zlib stream start that needs exactly the SPDY dictionary.
  assert.deepEqual(decodeHeaderBlock(inflateSync(blocks[0]!, { dictionary: SPDY3_DICTIONARY, finishFlush: 2 })), sets[0]);
  for (const [i, block] of blocks.entries()) assert.deepEqual(await decompressor.decompress(block), sets[i]);
  compressor.close();
  decompressor.close();
});

test('garbage is a protocol error, not a crash', async () => {
  const decompressor = new HeaderDecompressor();
  await assert.rejects(decompressor.decompress(Buffer.from('not zlib at all')), { name: 'SpdyProtocolError' });
  decompressor.close();
});

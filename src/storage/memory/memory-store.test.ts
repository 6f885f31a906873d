import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runStoreContract } from '../store.contract.js';
import { MemoryStore } from './memory-store.js';

runStoreContract('memory', async () => {
  const store = new MemoryStore();
  return { store, cleanup: () => store.close() };
});

// New keys are merged into the sorted key list lazily (at the next range read); creates, deletes,
// compactions and reads interleaved in a scrambled order must still list every key in order.
void it('memory store: lists in key order with creates, deletes and compactions between reads', async () => {
  const store = new MemoryStore();
  const live = new Set<string>();
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < 37; i++) {
      const key = `/r/${(round * 7919 + i * 104_729) % 1000}`;
      if (live.has(key)) {
        await store.delete(key);
        live.delete(key);
      } else {
        await store.create(key, 'v');
        live.add(key);
      }
    }
    if (round % 5 === 4) await store.compact(await store.currentRevision());
    const listed = (await store.list({ prefix: '/r/' })).items.map((kv) => kv.key);
    assert.deepEqual(listed, [...live].sort());
    assert.equal(await store.count('/r/'), live.size);
  }
  await store.close();
});

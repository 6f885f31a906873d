import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { runStoreContract } from '../store.contract.js';
import { SqliteStore } from './sqlite-store.js';

// A small batch size makes the contract's racing-watch test cross many replay pages.
runStoreContract('sqlite (:memory:)', async () => {
  const store = new SqliteStore({ path: ':memory:', batchSize: 7 });
  return { store, cleanup: () => store.close() };
});

runStoreContract('sqlite (file)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-'));
  const store = new SqliteStore({ path: join(dir, 'db.sqlite') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

void describe('SqliteStore durability', () => {
  void it('keeps data and continues revisions after close and reopen, even past a compaction', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-'));
    try {
      const path = join(dir, 'db.sqlite');
      const first = new SqliteStore({ path, batchSize: 2 });
      const a = await first.create('/r/a', 'a1');
      await first.create('/r/b', 'b1');
      const gone = await first.delete('/r/b');
      await first.compact(gone.modRevision);
      await first.close();

      const second = new SqliteStore({ path });
      assert.equal(await second.currentRevision(), gone.modRevision, 'a compacted-away tombstone does not lower the revision');
      assert.equal(await second.compactedRevision(), gone.modRevision);
      assert.deepEqual(await second.get('/r/a'), a);
      assert.equal(await second.get('/r/b'), undefined);
      const c = await second.create('/r/c', 'c1');
      assert.equal(c.modRevision, gone.modRevision + 1);
      await assert.rejects(second.list({ prefix: '/r/', revision: a.modRevision }), { code: 'Compacted' });
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  void it('keeps every acknowledged create when the writer is killed with SIGKILL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-crash-'));
    try {
      const path = join(dir, 'db.sqlite');
      const script = fileURLToPath(new URL('./crash-writer.fixture.ts', import.meta.url));
      const child = spawn(process.execPath, ['--import', 'tsx', script, path], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      const acked: string[] = [];
      for await (const line of createInterface({ input: child.stdout })) {
        acked.push(line);
        if (acked.length === 2000) child.kill('SIGKILL');
      }
      assert.equal(await exited, 'SIGKILL');
      assert.ok(acked.length >= 2000);

      const store = new SqliteStore({ path });
      try {
        const present = new Set((await store.list({ prefix: '/crash/' })).items.map((kv) => kv.key));
        const missing = acked.filter((key) => !present.has(key));
        assert.deepEqual(missing, [], 'acknowledged creates lost by the crash');
        const next = await store.create('/after/crash', 'v');
        assert.ok(next.modRevision > present.size - 1);
        assert.equal(next.modRevision, (await store.currentRevision()));
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

void describe('SqliteStore compaction and watch', () => {
  void it('compacts in batches, keeping the previous value of later events', async () => {
    const store = new SqliteStore({ path: ':memory:', batchSize: 3 });
    try {
      let kv = await store.create('/r/a', '0');
      for (let i = 1; i <= 20; i++) kv = await store.update('/r/a', String(i), kv.modRevision);
      for (let i = 0; i < 10; i++) await store.delete((await store.create(`/r/t${i}`, 'x')).key);
      const target = await store.currentRevision();
      const last = await store.update('/r/a', 'last', kv.modRevision);
      await store.compact(target);
      const controller = new AbortController();
      const iterator = store.watch({ prefix: '/r/', afterRevision: target, signal: controller.signal })[Symbol.asyncIterator]();
      const event = (await iterator.next()).value;
      controller.abort();
      assert.equal(event?.type, 'modified');
      assert.deepEqual(event?.prevKv, kv);
      assert.deepEqual(event?.kv, last);
      assert.deepEqual((await store.list({ prefix: '/r/' })).items, [last]);
    } finally {
      await store.close();
    }
  });

  void it('fails a replaying watch with CompactedError when compaction overtakes it', async () => {
    const store = new SqliteStore({ path: ':memory:', batchSize: 2 });
    try {
      const start = await store.currentRevision();
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.create(`/r/k${i}`, 'v')));
      const controller = new AbortController();
      const watch = store.watch({ prefix: '/r/', afterRevision: start, signal: controller.signal });
      const compaction = store.compact(await store.currentRevision());
      const seen: number[] = [];
      await assert.rejects(async () => {
        for await (const event of watch) seen.push(event.revision);
      }, { code: 'Compacted' });
      await compaction;
      assert.ok(seen.length < 50, 'the watch cannot have replayed everything');
      controller.abort();
    } finally {
      await store.close();
    }
  });

  void it('ends watches with UnavailableError when closed', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    const watch = store.watch({ prefix: '/', afterRevision: 0, signal: new AbortController().signal });
    await store.close();
    await assert.rejects(watch[Symbol.asyncIterator]().next(), { code: 'Unavailable' });
    await assert.rejects(store.get('/x'), { code: 'Unavailable' });
  });
});

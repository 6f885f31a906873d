// Picks and opens the Store backend named by --store, and proves it answers before the server
// starts, so a wrong setting fails at once with one clear line instead of on the first request.
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { EtcdStore } from '../storage/etcd/etcd-store.js';
import { MemoryStore } from '../storage/memory/memory-store.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import type { Store } from '../storage/store.js';
import type { StoreSpec } from './server-flags.js';
import { StartupError } from './usage-error.js';

const ETCD_CONNECT_TIMEOUT_MS = 5000;

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function answersWithin(store: Store, ms: number): Promise<void> {
  const timeout = new AbortController();
  try {
    await Promise.race([
      store.currentRevision(),
      delay(ms, undefined, { signal: timeout.signal }).then(() => {
        throw new Error(`no answer within ${ms / 1000} s`);
      }),
    ]);
  } finally {
    timeout.abort();
  }
}

export async function openStore(spec: StoreSpec, dataDir: string): Promise<Store> {
  switch (spec.kind) {
    case 'memory':
      return new MemoryStore();
    case 'sqlite': {
      const path = join(dataDir, 'state.db');
      try {
        const store = new SqliteStore({ path });
        await store.currentRevision();
        return store;
      } catch (error) {
        throw new StartupError(`cannot open the SQLite store at ${path}: ${reason(error)}; check that --data-dir is writable and not used by another k8ts server`, { cause: error });
      }
    }
    case 'etcd': {
      const store = new EtcdStore({ endpoints: spec.endpoints, dialTimeoutMs: ETCD_CONNECT_TIMEOUT_MS });
      try {
        await answersWithin(store, ETCD_CONNECT_TIMEOUT_MS);
        return store;
      } catch (error) {
        await store.close().catch(() => undefined);
        throw new StartupError(`cannot reach etcd at ${spec.endpoints.join(', ')}: ${reason(error)}; start etcd there or pass --store sqlite`, { cause: error });
      }
    }
  }
}

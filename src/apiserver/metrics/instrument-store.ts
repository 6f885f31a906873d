// A Store decorator that times every operation into k8ts_store_operation_duration_seconds.
// Watches are long-lived, so only their creation is not timed; each event is not a store call.
import { performance } from 'node:perf_hooks';
import { K8tsError } from '../../lib/errors.js';
import type { Store } from '../../storage/store.js';
import type { ApiMetrics } from './api-metrics.js';

type TimedOperation = Exclude<keyof Store, 'watch' | 'close'>;

export function instrumentStore(store: Store, metrics: ApiMetrics, now: () => number = () => performance.now()): Store {
  const timed = <A extends unknown[], R>(operation: TimedOperation, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const start = now();
      try {
        const result = await call(...args);
        metrics.observeStoreOperation(operation, (now() - start) / 1000);
        return result;
      } catch (error) {
        const code = error instanceof K8tsError ? error.code : 'Unknown';
        metrics.observeStoreOperation(operation, (now() - start) / 1000, code);
        throw error;
      }
    };
  return {
    get: timed('get', (key) => store.get(key)),
    list: timed('list', (options) => store.list(options)),
    count: timed('count', (prefix) => store.count(prefix)),
    create: timed('create', (key, value) => store.create(key, value)),
    update: timed('update', (key, value, expected) => store.update(key, value, expected)),
    delete: timed('delete', (key, expected) => store.delete(key, expected)),
    watch: (options) => store.watch(options),
    currentRevision: timed('currentRevision', () => store.currentRevision()),
    compact: timed('compact', (revision) => store.compact(revision)),
    compactedRevision: timed('compactedRevision', () => store.compactedRevision()),
    close: () => store.close(),
  };
}

import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { JOBS } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { NotFoundError } from '../../lib/errors.js';
import { silentLogger } from '../../lib/logger.js';
import { SnapshotLister } from '../framework/snapshot-lister.fixture.js';
import type { JobObject } from '../job/job-types.js';
import { TtlAfterFinishedReconciler } from './ttl-after-finished-reconciler.js';

const KEY = 'default/done';

function job(ttl: number | undefined, condition?: { type: string; at: string }): JobObject {
  return {
    metadata: { name: 'done', namespace: 'default' },
    spec: { ...(ttl !== undefined ? { ttlSecondsAfterFinished: ttl } : {}), template: { spec: { containers: [] } } },
    status: condition ? { conditions: [{ type: condition.type, status: 'True', lastTransitionTime: condition.at }] } : {},
  };
}

describe('TtlAfterFinishedReconciler', () => {
  let clock: FakeClock;
  let clients: FakeClientSet;
  let jobs: SnapshotLister<JobObject>;
  let reconciler: TtlAfterFinishedReconciler;
  let deletes: { options: unknown }[];

  beforeEach(() => {
    clock = new FakeClock({ start: new Date('2025-01-01T12:01:00Z') });
    clients = new FakeClientSet({ clock });
    jobs = new SnapshotLister(clients.resource<JobObject>(JOBS));
    reconciler = new TtlAfterFinishedReconciler({ clients, jobs, clock, logger: silentLogger() });
    deletes = [];
    const client = clients.resource<JobObject>(JOBS);
    const original = client.delete.bind(client);
    client.delete = async (namespace, name, options) => {
      deletes.push({ options });
      return original(namespace, name, options);
    };
  });

  async function exists(): Promise<boolean> {
    try {
      await clients.resource<JobObject>(JOBS).get('default', 'done');
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  it('requeues until the TTL runs out from the finish time, then deletes in the foreground with the uid', async () => {
    const stored = clients.seed<JobObject>(JOBS, job(100, { type: 'Complete', at: '2025-01-01T12:00:00Z' }))[0]!;
    await jobs.sync();
    assert.deepEqual(await reconciler.reconcile(KEY), { requeueAfterMs: 40_000 });
    clock.advance(39_999);
    assert.deepEqual(await reconciler.reconcile(KEY), { requeueAfterMs: 1 });
    assert.equal(await exists(), true, 'not a moment early');
    clock.advance(1);
    await reconciler.reconcile(KEY);
    assert.equal(await exists(), false);
    assert.deepEqual(deletes, [{ options: { propagationPolicy: 'Foreground', preconditions: { uid: stored.metadata!.uid } } }]);
  });

  it('counts from the Failed condition of a failed Job', async () => {
    clients.seed<JobObject>(JOBS, job(0, { type: 'Failed', at: '2025-01-01T12:00:59Z' }));
    await jobs.sync();
    await reconciler.reconcile(KEY);
    assert.equal(await exists(), false);
  });

  it('leaves alone Jobs without a TTL, unfinished ones, and ones with only an interim condition', async () => {
    for (const candidate of [job(undefined, { type: 'Complete', at: '2025-01-01T00:00:00Z' }), job(0), job(0, { type: 'SuccessCriteriaMet', at: '2025-01-01T00:00:00Z' })]) {
      clients = new FakeClientSet({ clock });
      jobs = new SnapshotLister(clients.resource<JobObject>(JOBS));
      reconciler = new TtlAfterFinishedReconciler({ clients, jobs, clock, logger: silentLogger() });
      clients.seed<JobObject>(JOBS, candidate);
      await jobs.sync();
      assert.equal(await reconciler.reconcile(KEY), undefined);
      assert.equal(await exists(), true);
    }
  });

  it('decides on a fresh read: a TTL raised since the cache saw the Job defers the deletion', async () => {
    clients.seed<JobObject>(JOBS, job(10, { type: 'Complete', at: '2025-01-01T12:00:00Z' }));
    await jobs.sync();
    await clients.resource<JobObject>(JOBS).patch('default', 'done', 'merge', { spec: { ttlSecondsAfterFinished: 3600 } });
    assert.deepEqual(await reconciler.reconcile(KEY), { requeueAfterMs: 3_540_000 });
    assert.equal(await exists(), true);
  });

  it('a Job already being deleted is not deleted again', async () => {
    clients.seed<JobObject>(JOBS, { ...job(0, { type: 'Complete', at: '2025-01-01T12:00:00Z' }), metadata: { name: 'done', namespace: 'default', finalizers: ['foregroundDeletion'] } });
    await clients.resource<JobObject>(JOBS).delete('default', 'done');
    deletes.length = 0;
    await jobs.sync();
    await reconciler.reconcile(KEY);
    assert.equal(deletes.length, 0);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../lib/logger.js';
import type { PodObject } from './object-types.js';
import type { PodSync } from './pod-sync.js';
import { PodWorkers } from './pod-worker.js';

function pod(rv: number, change: { phase?: string; ready?: boolean; labels?: Record<string, string>; image?: string; gates?: boolean; deleting?: boolean } = {}): PodObject {
  return {
    metadata: {
      name: 'p', namespace: 'default', uid: 'u1', resourceVersion: String(rv), labels: change.labels ?? { app: 'a' },
      managedFields: [{ manager: `m${rv}`, operation: 'Update' }],
      ...(change.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: {
      nodeName: 'n', containers: [{ name: 'c', image: change.image ?? 'busybox' }],
      ...(change.gates ? { readinessGates: [{ conditionType: 'example.com/gate' }] } : {}),
    },
    status: { phase: change.phase ?? 'Running', conditions: [{ type: 'Ready', status: change.ready === false ? 'False' : 'True' }] },
  };
}

/** Workers over a fake sync that records the pods it was given. */
function workers(): { workers: PodWorkers; seen: (string | undefined)[] } {
  const seen: (string | undefined)[] = [];
  const sync = { uid: 'u1', sync: (p: PodObject | undefined) => { seen.push(p?.metadata?.resourceVersion); return Promise.resolve({ finished: false }); } };
  return { workers: new PodWorkers({ createSync: () => sync as unknown as PodSync, logger: silentLogger() }), seen };
}

test('a change to the status alone (the echo of our own status write) makes no pass; the next pass sees that pod', async () => {
  const { workers: w, seen } = workers();
  await w.update(pod(1));
  await w.update(pod(2, { ready: false }));
  assert.deepEqual(seen, ['1']);
  await w.syncAll();
  assert.deepEqual(seen, ['1', '2']);
  w.stop();
});

test('spec, metadata, phase and readiness-gated status changes each make a pass', async () => {
  const { workers: w, seen } = workers();
  await w.update(pod(1));
  await w.update(pod(2, { labels: { app: 'b' } }));
  await w.update(pod(3, { labels: { app: 'b' }, image: 'nginx' }));
  await w.update(pod(4, { labels: { app: 'b' }, image: 'nginx', deleting: true }));
  await w.update(pod(5, { labels: { app: 'b' }, image: 'nginx', deleting: true, phase: 'Failed' }));
  assert.deepEqual(seen, ['1', '2', '3', '4', '5']);
  w.stop();

  const gated = workers();
  await gated.workers.update(pod(1, { gates: true }));
  await gated.workers.update(pod(2, { gates: true, ready: false }));
  assert.deepEqual(gated.seen, ['1', '2']);
  gated.workers.stop();
});

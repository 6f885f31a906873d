import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import type { PodObject as Pod } from './kube-object-types.js';
import { ownedPodHandlers } from './owned-pod-handlers.js';

const owner: KubeObject = { metadata: { namespace: 'ns', name: 'web', uid: 'u-web' } };
const other: KubeObject = { metadata: { namespace: 'ns', name: 'api', uid: 'u-api' } };

function pod(name: string, options: { owner?: KubeObject; labels?: Record<string, string>; rv?: string; deleting?: boolean } = {}): Pod {
  return {
    metadata: {
      namespace: 'ns', name, uid: `u-${name}`, resourceVersion: options.rv ?? '1', labels: options.labels ?? { app: 'web' },
      ...(options.deleting ? { deletionTimestamp: '2026-11-28T00:00:00Z' } : {}),
      ...(options.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'X', name: options.owner.metadata?.name ?? '', uid: options.owner.metadata?.uid ?? '', controller: true }] } : {}),
    },
  };
}

function harness() {
  const log: string[] = [];
  const owners = [owner, other];
  const handlers = ownedPodHandlers({
    controllerOf: (p) => owners.find((o) => o.metadata?.uid === p.metadata?.ownerReferences?.[0]?.uid),
    selecting: (p) => (p.metadata?.labels?.['app'] === 'web' ? [owner] : []),
    enqueue: (key) => log.push(`enqueue ${key}`),
    creationObserved: (key) => log.push(`created ${key}`),
    deletionObserved: (key, uid) => log.push(`deleted ${key} ${uid}`),
  });
  return { log, handlers };
}

describe('ownedPodHandlers', () => {
  it('an owned pod added is a create observed; an orphan enqueues the owners that select it', () => {
    const { log, handlers } = harness();
    handlers.add?.(pod('a', { owner }));
    handlers.add?.(pod('b'));
    handlers.add?.(pod('c', { labels: { app: 'other' } }));
    assert.deepEqual(log, ['created ns/web', 'enqueue ns/web', 'enqueue ns/web']);
  });

  it('a pod deleted, added terminating, or turning terminating is a delete observed; resyncs are ignored', () => {
    const { log, handlers } = harness();
    handlers.delete?.(pod('a', { owner }));
    handlers.add?.(pod('b', { owner, deleting: true }));
    handlers.update?.(pod('c', { owner }), pod('c', { owner, rv: '2', deleting: true }));
    handlers.update?.(pod('d', { owner }), pod('d', { owner }));
    assert.deepEqual(log, ['deleted ns/web u-a', 'enqueue ns/web', 'deleted ns/web u-b', 'enqueue ns/web', 'deleted ns/web u-c', 'enqueue ns/web']);
  });

  it('a reference that moves enqueues the old and the new owner; a released pod enqueues the owners that select it', () => {
    const { log, handlers } = harness();
    handlers.update?.(pod('a', { owner }), pod('a', { owner: other, rv: '2' }));
    assert.deepEqual(log.splice(0), ['enqueue ns/web', 'enqueue ns/api']);
    handlers.update?.(pod('b', { owner }), pod('b', { rv: '2' }));
    assert.deepEqual(log.splice(0), ['enqueue ns/web', 'enqueue ns/web']);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isPodActive, isPodAvailable, isPodReady, maxContainerRestarts } from './pod-utils.js';
import { getControllerOf, isControlledBy, newControllerRef } from './controller-ref.js';

function readyPod(since: string): Pod {
  return { metadata: { name: 'p' }, status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since }] } };
}

describe('pod-utils', () => {
  it('isPodReady reads the Ready condition', () => {
    assert.equal(isPodReady(readyPod('2025-01-01T00:00:00Z')), true);
    assert.equal(isPodReady({ status: { conditions: [{ type: 'Ready', status: 'False' }] } }), false);
    assert.equal(isPodReady({}), false);
  });

  it('isPodActive excludes terminal and deleting pods', () => {
    assert.equal(isPodActive({ status: { phase: 'Running' } }), true);
    assert.equal(isPodActive({ status: { phase: 'Succeeded' } }), false);
    assert.equal(isPodActive({ status: { phase: 'Failed' } }), false);
    assert.equal(isPodActive({ metadata: { deletionTimestamp: '2025-01-01T00:00:00Z' } }), false);
  });

  it('isPodAvailable needs minReadySeconds strictly elapsed', () => {
    const pod = readyPod('2025-01-01T00:00:00Z');
    assert.equal(isPodAvailable(pod, 0, new Date('2025-01-01T00:00:00Z')), true);
    assert.equal(isPodAvailable(pod, 5, new Date('2025-01-01T00:00:05Z')), false);
    assert.equal(isPodAvailable(pod, 5, new Date('2025-01-01T00:00:05.001Z')), true);
    assert.equal(isPodAvailable({}, 0, new Date()), false);
  });

  it('maxContainerRestarts', () => {
    assert.equal(maxContainerRestarts({}), 0);
    const statuses = [3, 7].map((n) => ({ name: `c${n}`, image: 'i', imageID: '', ready: true, restartCount: n }));
    assert.equal(maxContainerRestarts({ status: { containerStatuses: statuses } }), 7);
  });
});

describe('controller-ref', () => {
  it('newControllerRef / getControllerOf / isControlledBy go by uid', () => {
    const owner = { metadata: { name: 'rs', uid: 'u1' } };
    const ref = newControllerRef(owner, { apiVersion: 'apps/v1', kind: 'ReplicaSet' });
    assert.deepEqual(ref, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true, blockOwnerDeletion: true });
    const pod = { metadata: { ownerReferences: [{ ...ref, controller: false, uid: 'x' }, ref] } };
    assert.equal(getControllerOf(pod)?.uid, 'u1');
    assert.equal(isControlledBy(pod, owner), true);
    assert.equal(isControlledBy(pod, { metadata: { name: 'rs', uid: 'u2' } }), false);
  });
});

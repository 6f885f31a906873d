import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { countHealthyPods, disruptionsAllowed, expectedPodCount, liveDisruptedPods, scaledValue } from './budget-math.js';

function pod(name: string, ready: boolean, deleting = false): Pod {
  return {
    metadata: { name, namespace: 'default', ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

describe('budget math', () => {
  it('scales percentages, rounding as asked', () => {
    assert.equal(scaledValue('50%', 3, true), 2);
    assert.equal(scaledValue('50%', 3, false), 1);
    assert.equal(scaledValue(4, 3, true), 4);
    assert.equal(scaledValue('x', 3, true), undefined);
  });

  it('minAvailable as a number counts the matched pods and never asks for the scale', () => {
    const scale = (): number => assert.fail('scale not needed');
    assert.deepEqual(expectedPodCount({ minAvailable: 2 }, 3, scale), { expectedCount: 3, desiredHealthy: 2 });
  });

  it('maxUnavailable and percentages use the controllers\' scale', () => {
    assert.deepEqual(expectedPodCount({ maxUnavailable: 1 }, 2, () => 3), { expectedCount: 3, desiredHealthy: 2 });
    assert.deepEqual(expectedPodCount({ maxUnavailable: '50%' }, 3, () => 3), { expectedCount: 3, desiredHealthy: 1 });
    assert.deepEqual(expectedPodCount({ minAvailable: '50%' }, 3, () => 3), { expectedCount: 3, desiredHealthy: 2 });
    assert.deepEqual(expectedPodCount({ maxUnavailable: 5 }, 3, () => 3), { expectedCount: 3, desiredHealthy: 0 });
  });

  it('counts Ready pods that are not deleting nor recently evicted', () => {
    const pods = [pod('a', true), pod('b', true, true), pod('c', false), pod('d', true)];
    assert.equal(countHealthyPods(pods, {}), 2);
    assert.equal(countHealthyPods(pods, { d: '2026-01-01T00:00:00Z' }), 1);
  });

  it('expires disruptedPods entries after two minutes, or once the pod is deleting or gone', () => {
    const now = Date.parse('2026-01-01T00:01:00Z');
    const recorded = { a: '2026-01-01T00:00:00Z', b: '2026-01-01T00:00:00Z', gone: '2026-01-01T00:00:30Z', old: '2025-12-31T23:58:00Z' };
    const pods = [pod('a', true), pod('b', true, true), pod('old', true)];
    const live = liveDisruptedPods(recorded, pods, now);
    assert.deepEqual(live.kept, { a: '2026-01-01T00:00:00Z' });
    assert.equal(live.recheckAtMs, Date.parse('2026-01-01T00:02:00Z'));
  });

  it('allows no disruption while no pod is expected, and never a negative number', () => {
    assert.equal(disruptionsAllowed(3, 2, 3), 1);
    assert.equal(disruptionsAllowed(1, 2, 3), 0);
    assert.equal(disruptionsAllowed(1, 0, 0), 0);
  });
});

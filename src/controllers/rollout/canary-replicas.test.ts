import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { approximateCanaryStableCounts, basicCanaryCounts, maxWeightForPods, routedCanaryCounts } from './canary-replicas.js';

describe('canary replica math (Argo utils/replicaset/canary.go)', () => {
  it('approximates the weight with whole pods', () => {
    assert.deepEqual(approximateCanaryStableCounts(10, 30, 3), { canary: 3, stable: 7 });
    assert.deepEqual(approximateCanaryStableCounts(3, 50, 1), { canary: 2, stable: 2 });
    assert.deepEqual(approximateCanaryStableCounts(1, 5, 1), { canary: 1, stable: 1 });
    assert.deepEqual(approximateCanaryStableCounts(10, 100, 3), { canary: 10, stable: 0 });
    assert.deepEqual(approximateCanaryStableCounts(10, 0, 3), { canary: 0, stable: 10 });
  });

  it('Argo examples of CalculateReplicaCountsForBasicCanary', () => {
    const full = (n: number) => ({ replicas: n, available: n });
    const zero = { replicas: 0, available: 0 };
    // replicas 10, weight 10, maxUnavailable 1, surge 1 -> canary 1, stable 9
    assert.deepEqual(basicCanaryCounts({ replicas: 10, weight: 10, maxSurge: 1, maxUnavailable: 1, canary: zero, stable: full(10), othersReplicas: 0 }), { canary: 1, stable: 9 });
    // weight 30, maxUnavailable 0, surge 3 -> canary 3, stable 10
    assert.deepEqual(basicCanaryCounts({ replicas: 10, weight: 30, maxSurge: 3, maxUnavailable: 0, canary: zero, stable: full(10), othersReplicas: 0 }), { canary: 3, stable: 10 });
    // weight 30, maxUnavailable 5, surge 0 -> canary 0, stable 7
    assert.deepEqual(basicCanaryCounts({ replicas: 10, weight: 30, maxSurge: 0, maxUnavailable: 5, canary: zero, stable: full(10), othersReplicas: 0 }), { canary: 0, stable: 7 });
    // replicas 1, weight 5, maxUnavailable 0, surge 1 -> canary 1, stable 1
    assert.deepEqual(basicCanaryCounts({ replicas: 1, weight: 5, maxSurge: 1, maxUnavailable: 0, canary: zero, stable: full(1), othersReplicas: 0 }), { canary: 1, stable: 1 });
  });

  it('the worked example: 10 replicas, 30%, default 25%/25%', () => {
    const first = basicCanaryCounts({ replicas: 10, weight: 30, canary: { replicas: 0, available: 0 }, stable: { replicas: 10, available: 10 }, othersReplicas: 0 });
    assert.deepEqual(first, { canary: 3, stable: 8 });
    const second = basicCanaryCounts({ replicas: 10, weight: 30, canary: { replicas: 3, available: 3 }, stable: { replicas: 8, available: 8 }, othersReplicas: 0 });
    assert.deepEqual(second, { canary: 3, stable: 7 });
  });

  it('without a stable the new ReplicaSet takes every replica', () => {
    assert.deepEqual(basicCanaryCounts({ replicas: 4, weight: 20, canary: { replicas: 0, available: 0 }, stable: undefined, othersReplicas: 0 }), { canary: 4, stable: 0 });
  });

  it('routed: canary ceil(weight% x replicas), stable full unless dynamicStableScale', () => {
    assert.deepEqual(routedCanaryCounts({ replicas: 10, weight: 25, dynamicStableScale: false, aborted: false }), { canary: 3, stable: 10 });
    assert.deepEqual(routedCanaryCounts({ replicas: 10, weight: 40, dynamicStableScale: true, currentStableWeight: 80, currentCanaryWeight: 20, aborted: false }), { canary: 4, stable: 8 });
    assert.deepEqual(routedCanaryCounts({ replicas: 10, weight: 0, dynamicStableScale: true, currentStableWeight: 50, currentCanaryWeight: 50, aborted: true }), { canary: 5, stable: 10 });
    assert.deepEqual(routedCanaryCounts({ replicas: 10, weight: 20, canaryReplicas: 1, dynamicStableScale: false, aborted: false }), { canary: 1, stable: 10 });
    // Out of maxTrafficWeight 1000: 250 is 25% -> ceil(2.5) = 3; stable 750 -> ceil(7.5) = 8.
    assert.deepEqual(routedCanaryCounts({ replicas: 10, weight: 250, maxWeight: 1000, dynamicStableScale: true, aborted: false }), { canary: 3, stable: 8 });
    assert.deepEqual(routedCanaryCounts({ replicas: 10, weight: 1, maxWeight: 1000, dynamicStableScale: false, aborted: false }), { canary: 1, stable: 10 });
    // minPodsPerReplicaSet 2: a 10% canary of 10 gets 2 pods, not 1; 0% stays 0; stable at 90% keeps 9.
    assert.deepEqual(routedCanaryCounts({ replicas: 10, weight: 10, minPods: 2, dynamicStableScale: true, aborted: false }), { canary: 2, stable: 9 });
    assert.deepEqual(routedCanaryCounts({ replicas: 10, weight: 0, minPods: 2, dynamicStableScale: false, aborted: false }), { canary: 0, stable: 10 });
    assert.deepEqual(routedCanaryCounts({ replicas: 10, weight: 95, minPods: 2, dynamicStableScale: true, aborted: false }), { canary: 10, stable: 2 });
  });

  it('maxWeightForPods is exact: ceil(w% x replicas) <= available', () => {
    assert.equal(maxWeightForPods(10, 3), 30);
    assert.equal(maxWeightForPods(3, 1), 33);
    assert.equal(maxWeightForPods(5, 5), 100);
    assert.equal(maxWeightForPods(10, 0), 0);
    assert.equal(maxWeightForPods(3, 1, 1000), 333, 'out of maxTrafficWeight');
    assert.equal(maxWeightForPods(0, 0, 1000), 1000);
    for (let w = 0; w <= 100; w++) {
      assert.equal(Math.ceil((w * 3) / 100) <= 1, w <= maxWeightForPods(3, 1), `weight ${w}`);
    }
  });
});

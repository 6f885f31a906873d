import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { podRequests } from './pod-resources.js';

function pod(spec: NonNullable<Pod['spec']>): Pod {
  return { metadata: { name: 'p' }, spec };
}

describe('podRequests', () => {
  it('sums containers and converts units', () => {
    const r = podRequests(pod({ containers: [
      { name: 'a', resources: { requests: { cpu: '250m', memory: '64Mi' } } },
      { name: 'b', resources: { requests: { cpu: '1', memory: '1Gi', 'nvidia.com/gpu': '2' } } },
    ] }));
    assert.equal(r.milliCpu, 1250);
    assert.equal(r.memory, 64 * 2 ** 20 + 2 ** 30);
    assert.equal(r.scalar?.get('nvidia.com/gpu'), 2);
    assert.equal(r.empty, false);
  });

  it('takes the largest init container when it exceeds the containers, plus sidecars and overhead', () => {
    const r = podRequests(pod({
      overhead: { cpu: '10m' },
      initContainers: [
        { name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '100m' } } },
        { name: 'init', resources: { requests: { cpu: '500m' } } },
      ],
      containers: [{ name: 'app', resources: { requests: { cpu: '200m' } } }],
    }));
    // regular 200 + sidecar 100 = 300; init step 500 + sidecar 100 = 600; + overhead 10.
    assert.equal(r.milliCpu, 610);
  });

  it('counts unset cpu/memory as 100m/200Mi only in the non-zero amounts', () => {
    const r = podRequests(pod({ containers: [{ name: 'a' }, { name: 'b', resources: { requests: { cpu: '300m' } } }] }));
    assert.equal(r.milliCpu, 300);
    assert.equal(r.memory, 0);
    assert.equal(r.nonZeroMilliCpu, 400);
    assert.equal(r.nonZeroMemory, 2 * 200 * 2 ** 20);
    assert.equal(podRequests(pod({ containers: [{ name: 'a' }] })).empty, true);
  });
});

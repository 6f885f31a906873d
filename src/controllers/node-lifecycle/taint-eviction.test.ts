import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { evictionDecision, matchingTolerations, minTolerationMs, toleratesTaint } from './taint-eviction.js';
import { reconcileTaints, wantedManagedTaints } from './node-taints.js';

const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2025-01-01T12:00:00Z' };
const podWith = (tolerations: Toleration[]): Pod => ({ metadata: { name: 'p' }, spec: { containers: [], tolerations } });

describe('toleratesTaint (upstream ToleratesTaint)', () => {
  it('matches key, effect and value; empty key with Exists matches everything', () => {
    assert.equal(toleratesTaint({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }, unreachable), true);
    assert.equal(toleratesTaint({ operator: 'Exists' }, unreachable), true);
    assert.equal(toleratesTaint({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }, unreachable), false);
    assert.equal(toleratesTaint({ key: 'other', operator: 'Exists' }, unreachable), false);
    assert.equal(toleratesTaint({ key: 'dedicated', value: 'db' }, { key: 'dedicated', value: 'db', effect: 'NoExecute' }), true);
    assert.equal(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'web' }, { key: 'dedicated', value: 'db', effect: 'NoExecute' }), false);
  });

  it('uses the first matching toleration per taint and fails when one taint is not tolerated', () => {
    const other: Taint = { key: 'x', effect: 'NoExecute' };
    const first: Toleration = { operator: 'Exists', tolerationSeconds: 10 };
    assert.deepEqual(matchingTolerations([unreachable, other], [first, { key: 'x', operator: 'Exists' }]), [first, first]);
    assert.equal(matchingTolerations([unreachable, other], [{ key: 'x', operator: 'Exists' }]), undefined);
    assert.equal(minTolerationMs([{ tolerationSeconds: 30 }, {}, { tolerationSeconds: 5 }]), 5000);
    assert.equal(minTolerationMs([{}]), undefined);
    assert.equal(minTolerationMs([{ tolerationSeconds: -3 }]), 0);
  });
});

describe('evictionDecision', () => {
  const start = Date.parse('2025-01-01T12:00:00Z');

  it('evicts an intolerant pod at once', () => {
    assert.deepEqual(evictionDecision(podWith([]), [unreachable], start), { kind: 'evict-now' });
  });

  it('counts tolerationSeconds from the taint timeAdded', () => {
    const pod = podWith([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]);
    assert.deepEqual(evictionDecision(pod, [unreachable], start + 99_000), { kind: 'evict-at', at: start + 300_000 });
  });

  it('uses the fallback start for a taint without timeAdded', () => {
    const pod = podWith([{ operator: 'Exists', tolerationSeconds: 2 }]);
    assert.deepEqual(evictionDecision(pod, [{ key: 'k', effect: 'NoExecute' }], 1000), { kind: 'evict-at', at: 3000 });
  });

  it('keeps pods tolerating forever, and ignores NoSchedule taints', () => {
    assert.deepEqual(evictionDecision(podWith([{ operator: 'Exists' }]), [unreachable], start), { kind: 'keep' });
    assert.deepEqual(evictionDecision(podWith([]), [{ key: 'k', effect: 'NoSchedule' }], start), { kind: 'keep' });
    assert.deepEqual(evictionDecision(podWith([{ operator: 'Exists', tolerationSeconds: 0 }]), [unreachable], start), { kind: 'evict-now' });
  });
});

describe('condition taints', () => {
  const node = (conditions: { type: string; status: string }[], taints: Taint[] = [], unschedulable = false): Node => ({
    metadata: { name: 'n1' },
    spec: { taints, unschedulable },
    status: { conditions },
  });
  const now = Date.parse('2025-01-01T12:00:00Z');

  it('Ready Unknown -> unreachable NoSchedule + NoExecute (with timeAdded); pressure and cordon -> NoSchedule', () => {
    const n = node([{ type: 'Ready', status: 'Unknown' }, { type: 'MemoryPressure', status: 'True' }], [], true);
    assert.deepEqual(wantedManagedTaints(n).map((t) => `${t.key}:${t.effect}`), [
      'node.kubernetes.io/unreachable:NoSchedule',
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/memory-pressure:NoSchedule',
      'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    const taints = reconcileTaints(n, now);
    assert.equal(taints?.find((t) => t.effect === 'NoExecute')?.timeAdded, '2025-01-01T12:00:00Z');
  });

  it('swaps not-ready for unreachable, keeps user taints and an existing timeAdded, and reports no change when none', () => {
    const user: Taint = { key: 'dedicated', value: 'db', effect: 'NoSchedule' };
    const notReady = node([{ type: 'Ready', status: 'False' }], [user, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: 'x' }]);
    assert.deepEqual(reconcileTaints(notReady, now), [
      user,
      { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: '2025-01-01T12:00:00Z' },
    ]);
    const kept = node([{ type: 'Ready', status: 'Unknown' }], [unreachable, { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }]);
    assert.equal(reconcileTaints(kept, now + 5000), undefined);
    const healthy = node([{ type: 'Ready', status: 'True' }], [user, unreachable]);
    assert.deepEqual(reconcileTaints(healthy, now), [user]);
  });
});

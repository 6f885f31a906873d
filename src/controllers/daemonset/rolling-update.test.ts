import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { daemonSet } from './daemon-set-harness.fixture.js';
import { CONTROLLER_REVISION_HASH_LABEL, type PodObject } from './daemon-set-types.js';
import { allowsSurge, planRollingUpdate, rollingUpdateLimits } from './rolling-update.js';

const NOW = new Date('2025-01-01T00:00:00Z');

function pod(name: string, hash: string, ready: boolean): PodObject {
  const [nodeName = ''] = name.split('-');
  return {
    metadata: { name, uid: name, labels: { [CONTROLLER_REVISION_HASH_LABEL]: hash } },
    spec: { nodeName, containers: [] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2024-01-01T00:00:00Z' }] },
  };
}

describe('rollingUpdateLimits', () => {
  it('rounds percentages up, for maxUnavailable too', () => {
    const ds = daemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '30%', maxSurge: '10%' } } });
    assert.deepEqual(rollingUpdateLimits(ds, 5), { maxSurge: 1, maxUnavailable: 2 });
  });

  it('falls back to maxUnavailable 1 when both resolve to 0', () => {
    const ds = daemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '0%', maxSurge: 0 } } });
    assert.deepEqual(rollingUpdateLimits(ds, 4), { maxSurge: 0, maxUnavailable: 1 });
    assert.deepEqual(rollingUpdateLimits(ds, 0), { maxSurge: 0, maxUnavailable: 0 });
  });

  it('surge is allowed only for RollingUpdate with maxSurge above 0', () => {
    assert.equal(allowsSurge(daemonSet()), false);
    assert.equal(allowsSurge(daemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '1%' } } })), true);
    assert.equal(allowsSurge(daemonSet({ updateStrategy: { type: 'OnDelete', rollingUpdate: { maxSurge: 1 } } })), false);
  });
});

describe('planRollingUpdate', () => {
  const nodes = ['a', 'b', 'c', 'd'];

  it('without surge: unavailable old pods always go, available ones only within maxUnavailable', () => {
    const ds = daemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } } });
    const plan = planRollingUpdate({
      ds, desiredNodes: nodes, hash: 'new', generation: undefined, now: NOW,
      nodeToDaemonPods: new Map([['a', [pod('a-1', 'new', false)]], ['b', [pod('b-1', 'old', false)]], ['c', [pod('c-1', 'old', true)]], ['d', [pod('d-1', 'old', true)]]]),
    });
    // a's new pod and b's replacement use up the 2: no available old pod may go.
    assert.deepEqual(plan.podsToDelete.map((p) => p.metadata?.name), ['b-1']);
    assert.deepEqual(plan.nodesToCreate, []);
  });

  it('with surge: creates beside available old pods within maxSurge, deletes old once the new is available', () => {
    const ds = daemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 2 } } });
    const plan = planRollingUpdate({
      ds, desiredNodes: nodes, hash: 'new', generation: undefined, now: NOW,
      nodeToDaemonPods: new Map([
        ['a', [pod('a-1', 'old', true), pod('a-2', 'new', true)]], // took over
        ['b', [pod('b-1', 'old', true), pod('b-2', 'new', false)]], // surging
        ['c', [pod('c-1', 'old', true)]],
        ['d', [pod('d-1', 'old', true)]],
      ]),
    });
    assert.deepEqual(plan.podsToDelete.map((p) => p.metadata?.name), ['a-1']);
    assert.deepEqual(plan.nodesToCreate, ['c'], 'b surges already: 2 - 1 leaves room for one');
  });
});

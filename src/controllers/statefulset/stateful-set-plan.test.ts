import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StatefulSetSpec } from 'kubernetes-types/apps/v1.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { planSync, type SyncPlan } from './stateful-set-plan.js';
import { statefulSet } from './stateful-set-harness.fixture.js';
import { resolveSpec } from './stateful-set-spec.js';

const NOW = new Date('2025-01-01T00:01:00Z');
const TEMPLATE = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };

type Health = 'ready' | 'pending' | 'terminating' | 'failed';

function pod(name: string, health: Health, revision = 'web-new'): Pod {
  return {
    metadata: {
      name, namespace: 'default', uid: `uid-${name}`,
      labels: { app: 'web', 'statefulset.kubernetes.io/pod-name': name, 'controller-revision-hash': revision },
      ...(health === 'terminating' ? { deletionTimestamp: '2025-01-01T00:00:30Z' } : {}),
    },
    spec: { containers: [] },
    status: health === 'pending' ? { phase: 'Pending' } : health === 'failed' ? { phase: 'Failed' } : {
      phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }],
    },
  };
}

function plan(spec: Partial<StatefulSetSpec>, pods: Pod[]): SyncPlan {
  const set = statefulSet(spec);
  return planSync({
    set, spec: resolveSpec(set), pods, now: NOW,
    current: { template: TEMPLATE, revision: 'web-old' },
    update: { template: TEMPLATE, revision: 'web-new' },
  });
}

/** `create web-1`, `delete web-2`, ... over every phase. */
function steps(result: SyncPlan): string[] {
  return result.phases.flatMap((phase) => phase.actions.map((action) => `${action.type} ${action.pod.metadata?.name ?? ''}`));
}

describe('planSync', () => {
  it('OrderedReady creates the first missing member and stops there', () => {
    assert.deepEqual(steps(plan({ replicas: 3 }, [pod('web-0', 'ready')])), ['create web-1']);
  });

  it('OrderedReady waits at a terminating or pending member', () => {
    assert.deepEqual(steps(plan({ replicas: 3 }, [pod('web-0', 'terminating')])), []);
    assert.deepEqual(steps(plan({ replicas: 3 }, [pod('web-0', 'ready'), pod('web-1', 'pending')])), []);
  });

  it('Parallel goes past unhealthy members and deletes a failed one', () => {
    const result = plan({ replicas: 3, podManagementPolicy: 'Parallel' }, [pod('web-0', 'pending'), pod('web-1', 'failed')]);
    assert.deepEqual(steps(result), ['delete web-1', 'create web-2']);
    assert.equal(result.sequential, false);
  });

  it('OrderedReady scale-down deletes an unhealthy condemned pod only if it is the lowest unhealthy one', () => {
    const members = [pod('web-0', 'ready')];
    assert.deepEqual(steps(plan({ replicas: 1 }, [...members, pod('web-1', 'ready'), pod('web-2', 'pending')])), ['delete web-2']);
    // web-2 is unhealthy but web-1, lower, is the first unhealthy pod: wait.
    assert.deepEqual(steps(plan({ replicas: 1 }, [...members, pod('web-1', 'pending'), pod('web-2', 'pending')])), []);
  });

  it('the rolling update starts only after scaling is done, and never under OnDelete', () => {
    const pods = [pod('web-0', 'ready', 'web-old'), pod('web-1', 'ready', 'web-old'), pod('web-2', 'ready', 'web-old')];
    assert.deepEqual(steps(plan({ replicas: 2 }, pods)), ['delete web-2'], 'scale-down first');
    assert.deepEqual(steps(plan({ replicas: 3 }, pods)), ['delete web-2']);
    assert.deepEqual(steps(plan({ replicas: 3, updateStrategy: { type: 'OnDelete' } }, pods)), []);
    assert.equal(plan({ replicas: 3 }, pods).phases.at(-1)?.name, 'rollingUpdate');
  });

  it('the rolling update waits for an unhealthy pod above the one to replace', () => {
    const pods = [pod('web-0', 'ready', 'web-old'), pod('web-1', 'ready', 'web-old'), pod('web-2', 'pending')];
    assert.deepEqual(steps(plan({ replicas: 3, podManagementPolicy: 'Parallel' }, pods)), []);
  });

  it('a set being deleted plans nothing', () => {
    const set = { ...statefulSet({ replicas: 3 }), metadata: { name: 'web', namespace: 'default', deletionTimestamp: '2025-01-01T00:00:00Z' } };
    const result = planSync({
      set, spec: resolveSpec(set), pods: [], now: NOW,
      current: { template: TEMPLATE, revision: 'web-old' }, update: { template: TEMPLATE, revision: 'web-new' },
    });
    assert.deepEqual(result.phases, []);
  });
});

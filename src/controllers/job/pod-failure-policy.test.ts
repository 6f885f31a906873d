import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PodFailurePolicy } from 'kubernetes-types/batch/v1.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';

function failedPod(exitCodes: Record<string, number>, conditions: { type: string; status: string }[] = [], init: Record<string, number> = {}): Pod {
  const statuses = (codes: Record<string, number>) => Object.entries(codes).map(([name, exitCode]) => ({
    name, image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode } },
  }));
  return {
    metadata: { name: 'p', namespace: 'ns' },
    status: { phase: 'Failed', conditions, containerStatuses: statuses(exitCodes), initContainerStatuses: statuses(init) },
  };
}

describe('matchPodFailurePolicy', () => {
  const policy: PodFailurePolicy = {
    rules: [
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
      { action: 'Count', onExitCodes: { operator: 'NotIn', values: [1, 2] } },
    ],
  };

  it('FailJob names the container, pod, exit code and rule index', () => {
    assert.deepEqual(matchPodFailurePolicy(policy, failedPod({ main: 42 })), {
      failJobMessage: 'Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 1', countFailed: true, action: 'FailJob',
    });
  });

  it('FailJob on a pod condition', () => {
    const onCondition: PodFailurePolicy = { rules: [{ action: 'FailJob', onPodConditions: [{ type: 'ConfigIssue', status: 'True' }] }] };
    assert.equal(matchPodFailurePolicy(onCondition, failedPod({ main: 1 }, [{ type: 'ConfigIssue', status: 'True' }])).failJobMessage,
      'Pod ns/p has condition ConfigIssue matching FailJob rule at index 0');
  });

  it('Ignore does not count; rules apply in order', () => {
    assert.deepEqual(matchPodFailurePolicy(policy, failedPod({ main: 42 }, [{ type: 'DisruptionTarget', status: 'True' }])), { countFailed: false, action: 'Ignore' });
  });

  it('Count and no match both count; a rule for another container or exit code 0 does not match', () => {
    assert.deepEqual(matchPodFailurePolicy(policy, failedPod({ side: 42 })), { countFailed: true, action: 'Count' });
    assert.deepEqual(matchPodFailurePolicy(policy, failedPod({ main: 2 })), { countFailed: true });
    assert.deepEqual(matchPodFailurePolicy(policy, failedPod({ main: 0, side: 1 })), { countFailed: true });
    assert.deepEqual(matchPodFailurePolicy(undefined, failedPod({ main: 42 })), { countFailed: true });
  });

  it('init containers are matched after app containers', () => {
    assert.equal(matchPodFailurePolicy(policy, failedPod({}, [], { main: 42 })).action, 'FailJob');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { podInfo } from './pod-info.js';
import { runningPod } from './rollout-cli.fixture.js';

describe('podInfo', () => {
  it('prints Running with ready containers and restarts', () => {
    const info = podInfo(runningPod('aaa', 'x', 3));
    assert.deepEqual([info.status, info.icon, info.ready, info.restarts], ['Running', '✔', '1/1', 3]);
  });

  it('prefers a waiting reason, and Terminating for a pod being deleted', () => {
    const pod = runningPod('aaa', 'x');
    pod.status!.containerStatuses![0]!.state = { waiting: { reason: 'CrashLoopBackOff' } };
    pod.status!.containerStatuses![0]!.ready = false;
    assert.deepEqual([podInfo(pod).status, podInfo(pod).icon, podInfo(pod).ready], ['CrashLoopBackOff', '✖', '0/1']);
    const deleted = { ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } };
    assert.equal(podInfo(deleted).status, 'Terminating');
  });

  it('shows the init phase while init containers run', () => {
    const pod = runningPod('aaa', 'x');
    pod.spec!.initContainers = [{ name: 'init' }];
    pod.status!.initContainerStatuses = [{ name: 'init', image: 'i', imageID: '', ready: false, restartCount: 0, state: { running: {} } }];
    assert.equal(podInfo(pod).status, 'Init:0/1');
  });
});

import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ContainerStatus } from 'kubernetes-types/core/v1.js';
import { computePhase, computePodStatus } from './pod-status.js';
import type { PodObject } from './object-types.js';

const pod = (restartPolicy: string, names = ['a', 'b']): PodObject => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u' },
  spec: { restartPolicy, containers: names.map((name) => ({ name, image: 'img' })) },
});
const running = (name: string): ContainerStatus => ({ name, image: 'img', imageID: '', ready: true, restartCount: 0, state: { running: {} } });
const exited = (name: string, exitCode: number): ContainerStatus => ({ name, image: 'img', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode } } });
const waiting = (name: string, restarted: boolean): ContainerStatus => ({
  name, image: 'img', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'CrashLoopBackOff' } },
  ...(restarted ? { lastState: { terminated: { exitCode: 1 } } } : {}),
});

it('computes the phase as upstream getPhase does', () => {
  assert.equal(computePhase(pod('Always'), [], [running('a'), running('b')], false), 'Running');
  assert.equal(computePhase(pod('Always'), [], [running('a')], false), 'Pending', 'unknown container');
  assert.equal(computePhase(pod('Always'), [], [running('a'), waiting('b', false)], false), 'Pending');
  assert.equal(computePhase(pod('Always'), [], [running('a'), waiting('b', true)], false), 'Running', 'crash looping counts as stopped');
  assert.equal(computePhase(pod('Always'), [], [exited('a', 0), exited('b', 1)], false), 'Running', 'Always: restarting');
  assert.equal(computePhase(pod('OnFailure'), [], [exited('a', 0), exited('b', 0)], false), 'Succeeded');
  assert.equal(computePhase(pod('OnFailure'), [], [exited('a', 0), exited('b', 1)], false), 'Running');
  assert.equal(computePhase(pod('Never'), [], [exited('a', 0), exited('b', 1)], false), 'Failed');
  assert.equal(computePhase(pod('Always'), [], [exited('a', 0), exited('b', 0)], true), 'Succeeded', 'terminating');
  assert.equal(computePhase(pod('Never'), [exited('i', 1)], [], false), 'Failed', 'failed init, Never');
  assert.equal(computePhase(pod('Always'), [running('i')], [], false), 'Pending', 'init running');
});

it('keeps transition times of unchanged conditions, the PodScheduled condition, and terminal phases', () => {
  const base = pod('Always', ['a']);
  const obs = { name: 'a', image: 'img', restartCount: 0, ready: true, started: true, current: { id: 'c1', state: 'running' as const, startedAt: new Date('2025-01-01T00:00:00Z') } };
  const input = { now: new Date('2025-01-01T00:00:05Z'), runtimeName: 'fake', hostIP: '10.0.0.1', podIP: '10.244.0.1', sandboxReady: true, initContainers: [], containers: [obs], terminating: false };
  const first = computePodStatus({ ...input, pod: { ...base, status: { conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2024-12-31T00:00:00Z' }] } } });
  assert.equal(first.conditions?.find((c) => c.type === 'PodScheduled')?.lastTransitionTime, '2024-12-31T00:00:00Z');
  assert.equal(first.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime, '2025-01-01T00:00:05Z');
  const later = computePodStatus({ ...input, now: new Date('2025-01-01T01:00:00Z'), pod: { ...base, status: first } });
  assert.deepEqual(later, first);
  const failed = computePodStatus({ ...input, pod: { ...base, status: { ...first, phase: 'Failed' } } });
  assert.equal(failed.phase, 'Failed', 'a pod never leaves a terminal phase');
  assert.equal(first.containerStatuses?.[0]?.containerID, 'fake://c1');
  assert.equal(first.containerStatuses?.[0]?.state?.running?.startedAt, '2025-01-01T00:00:00Z');
});

it('keeps what upstream kubelet keeps of the old status and drops the rest', () => {
  const base = pod('Always', ['a']);
  const obs = { name: 'a', image: 'img', restartCount: 0, ready: true, started: true, current: { id: 'c1', state: 'running' as const } };
  const status = computePodStatus({
    now: new Date('2025-01-01T00:00:05Z'), runtimeName: 'fake', hostIP: '10.0.0.1', sandboxReady: true, initContainers: [], containers: [obs], terminating: false,
    pod: {
      ...base,
      status: {
        nominatedNodeName: 'n1',
        resourceClaimStatuses: [{ name: 'gpu', resourceClaimName: 'p-gpu-x7' }],
        conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }],
      },
    },
  });
  // mergePodStatus copies resourceClaimStatuses and every condition kubelet does not own.
  assert.deepEqual(status.resourceClaimStatuses, [{ name: 'gpu', resourceClaimName: 'p-gpu-x7' }]);
  assert.equal(status.conditions?.find((c) => c.type === 'DisruptionTarget')?.reason, 'PreemptionByScheduler');
  // kubelet's status patch is a two-way diff from the API status to the status it generated, which
  // never carries nominatedNodeName: the patch sets it to null.
  assert.equal(status.nominatedNodeName, undefined);
});

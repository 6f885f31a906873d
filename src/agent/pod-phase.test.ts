import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ContainerStatus } from 'kubernetes-types/core/v1.js';
import type { PodObject } from './object-types.js';
import { computePhase } from './pod-phase.js';

const pod = (restartPolicy: string): PodObject => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u' },
  spec: { restartPolicy, initContainers: [{ name: 'side', image: 'img', restartPolicy: 'Always' }], containers: [{ name: 'app', image: 'img' }] },
});
const base = { image: 'img', imageID: '', ready: false, restartCount: 0 };
const running = (name: string, started = true): ContainerStatus => ({ ...base, name, started, state: { running: {} } });
const exited = (name: string, exitCode: number): ContainerStatus => ({ ...base, name, state: { terminated: { exitCode } } });
const waiting = (name: string, restarted: boolean): ContainerStatus => ({
  ...base, name, state: { waiting: { reason: restarted ? 'CrashLoopBackOff' : 'ContainerCreating' } },
  ...(restarted ? { lastState: { terminated: { exitCode: 1 } } } : {}),
});

it('computes the phase with sidecars as upstream getPhase does', () => {
  assert.equal(computePhase(pod('Always'), [running('side', false)], [waiting('app', false)], false), 'Pending', 'sidecar not started');
  assert.equal(computePhase(pod('Always'), [running('side')], [running('app')], false), 'Running');
  assert.equal(computePhase(pod('Never'), [running('side')], [exited('app', 0)], false), 'Running', 'the sidecar still runs');
  assert.equal(computePhase(pod('Never'), [exited('side', 143)], [exited('app', 0)], false), 'Succeeded', 'a stopped sidecar does not count');
  assert.equal(computePhase(pod('Never'), [exited('side', 143)], [exited('app', 1)], false), 'Failed');
  assert.equal(computePhase(pod('Always'), [waiting('side', true)], [running('app')], false), 'Running', 'sidecar restarting after init');
  assert.equal(computePhase(pod('Always'), [running('side', false)], [running('app')], false), 'Running', 'sidecar restarted, app ran already');
});

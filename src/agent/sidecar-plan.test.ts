import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Container } from 'kubernetes-types/core/v1.js';
import type { PodObject } from './object-types.js';
import { PodSyncHarness } from './pod-sync.fixture.js';

const sidecar = (name: string, extra: Partial<Container> = {}): Container => ({ name, image: 'busybox', restartPolicy: 'Always', ...extra });

function condition(pod: PodObject, type: string): { status?: string; reason?: string; message?: string } | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

function deleting(pod: PodObject, now: Date): PodObject {
  return { ...pod, metadata: { ...pod.metadata, deletionTimestamp: now.toISOString(), deletionGracePeriodSeconds: 30 } };
}

describe('native sidecars (restartable init containers)', () => {
  it('a sidecar without a startup probe lets the app start at once and keeps running beside it', async () => {
    const h = new PodSyncHarness();
    const sync = h.syncFor(h.createPod('side', { initContainers: [sidecar('proxy')] }));
    const { pod } = await h.step(sync, 'side');
    assert.deepEqual(h.messages('Created'), ['Created container: proxy', 'Created container: app']);
    const side = pod.status?.initContainerStatuses?.[0];
    assert.ok(side?.state?.running);
    assert.equal(side?.started, true);
    assert.equal(side?.ready, true);
    assert.equal(pod.status?.phase, 'Running');
    assert.equal(condition(pod, 'Initialized')?.status, 'True');
    assert.equal(condition(pod, 'Ready')?.status, 'True');
  });

  it('a startup probe gates the next container; the pod stays Pending until it passes', async () => {
    const h = new PodSyncHarness();
    h.runtime.setExecResult('proxy', { exitCode: 1, stdout: 'warming up', stderr: '' });
    const sync = h.syncFor(h.createPod('gate', {
      initContainers: [sidecar('proxy', { startupProbe: { exec: { command: ['ready'] }, periodSeconds: 1, failureThreshold: 30 } })],
    }));
    let { pod, outcome } = await h.step(sync, 'gate');
    assert.deepEqual(h.containerIds('app'), []);
    assert.equal(pod.status?.phase, 'Pending');
    assert.equal(pod.status?.initContainerStatuses?.[0]?.started, false);
    assert.equal(condition(pod, 'Initialized')?.message, 'containers with incomplete status: [proxy]');
    h.runtime.setExecResult('proxy', { exitCode: 0, stdout: '', stderr: '' });
    h.clock.advance(1000);
    ({ pod, outcome } = await h.step(sync, 'gate'));
    assert.equal(pod.status?.initContainerStatuses?.[0]?.started, true);
    assert.equal(outcome.nextSyncMs, 0, 'the app may start now: sync again at once');
    ({ pod } = await h.step(sync, 'gate'));
    assert.equal(h.containerIds('app').length, 1);
    assert.equal(pod.status?.phase, 'Running');
  });

  it('a regular init container after a sidecar runs beside it; the app waits for its exit', async () => {
    const h = new PodSyncHarness();
    const sync = h.syncFor(h.createPod('mixed', { initContainers: [sidecar('proxy'), { name: 'migrate', image: 'busybox' }] }));
    let { pod } = await h.step(sync, 'mixed');
    assert.equal(h.containerIds('migrate').length, 1);
    assert.deepEqual(h.containerIds('app'), []);
    assert.equal(pod.status?.phase, 'Pending');
    h.runtime.exitContainer(h.containerIds('migrate')[0] ?? '', 0);
    ({ pod } = await h.step(sync, 'mixed'));
    assert.equal(h.containerIds('app').length, 1);
    assert.equal(pod.status?.phase, 'Running');
    assert.ok(pod.status?.initContainerStatuses?.[0]?.state?.running, 'the sidecar still runs');
  });

  it('an exited sidecar is restarted whatever the pod restartPolicy, with CrashLoopBackOff; the app runs on', async () => {
    const h = new PodSyncHarness();
    const sync = h.syncFor(h.createPod('crash', { restartPolicy: 'Never', initContainers: [sidecar('proxy')] }));
    await h.step(sync, 'crash');
    h.runtime.exitContainer(h.containerIds('proxy')[0] ?? '', 0);
    let { pod } = await h.step(sync, 'crash');
    let side = pod.status?.initContainerStatuses?.[0];
    assert.equal(side?.restartCount, 1);
    assert.ok(side?.state?.running);
    h.runtime.exitContainer(h.containerIds('proxy').at(-1) ?? '', 1);
    ({ pod } = await h.step(sync, 'crash'));
    side = pod.status?.initContainerStatuses?.[0];
    assert.equal(side?.state?.waiting?.reason, 'CrashLoopBackOff');
    assert.equal(pod.status?.phase, 'Running', 'a restarting sidecar does not send the pod back to Pending');
    assert.equal(condition(pod, 'Initialized')?.status, 'True');
    assert.equal(condition(pod, 'Ready')?.message, 'containers with unready status: [proxy]');
    assert.equal(h.containerIds('app').length, 1, 'the app was not touched');
    h.clock.advance(10_000);
    ({ pod } = await h.step(sync, 'crash'));
    assert.equal(pod.status?.initContainerStatuses?.[0]?.restartCount, 2);
  });

  it("a sidecar's readiness probe counts in the pod's Ready condition; its liveness probe restarts it", async () => {
    const h = new PodSyncHarness();
    h.runtime.setExecResult('proxy', { exitCode: 1, stdout: 'nope', stderr: '' });
    const sync = h.syncFor(h.createPod('probed', {
      initContainers: [sidecar('proxy', {
        readinessProbe: { exec: { command: ['ready'] }, periodSeconds: 5 },
        livenessProbe: { exec: { command: ['live'] }, periodSeconds: 5, failureThreshold: 2 },
      })],
    }));
    let { pod } = await h.step(sync, 'probed');
    assert.equal(pod.status?.initContainerStatuses?.[0]?.ready, false);
    assert.equal(condition(pod, 'ContainersReady')?.message, 'containers with unready status: [proxy]');
    h.clock.advance(5000);
    await h.step(sync, 'probed');
    assert.deepEqual(h.messages('Killing'), ['Container proxy failed liveness probe, will be restarted']);
    h.runtime.setExecResult('proxy', { exitCode: 0, stdout: '', stderr: '' });
    ({ pod } = await h.step(sync, 'probed'));
    assert.equal(pod.status?.initContainerStatuses?.[0]?.restartCount, 1);
    assert.equal(condition(pod, 'Ready')?.status, 'True');
  });

  it('a Job-like pod completes when its app exits 0: sidecars stopped last-declared first, never restarted', async () => {
    const h = new PodSyncHarness();
    const sync = h.syncFor(h.createPod('job', { restartPolicy: 'Never', initContainers: [sidecar('first'), sidecar('second')] }));
    await h.step(sync, 'job');
    const stops: string[] = [];
    const stop = h.runtime.stopContainer.bind(h.runtime);
    h.runtime.stopContainer = (id, timeout) => {
      stops.push(h.runtime.state.containers.get(id)?.config.name ?? id);
      return stop(id, timeout);
    };
    h.runtime.exitContainer(h.containerIds('app')[0] ?? '', 0);
    let { pod } = await h.step(sync, 'job');
    assert.deepEqual(stops, ['second', 'first']);
    assert.deepEqual(h.messages('Killing').sort(), ['Stopping container first', 'Stopping container second'], 'as upstream, all at once');
    assert.equal(pod.status?.phase, 'Succeeded');
    assert.ok(pod.status?.initContainerStatuses?.every((s) => s.state?.terminated));
    ({ pod } = await h.step(sync, 'job'));
    assert.equal(h.containerIds('first').length, 1, 'not restarted');
    assert.equal(pod.status?.phase, 'Succeeded');
  });

  it('on deletion the app stops first, then the sidecars in reverse order, each after the one before', async () => {
    const h = new PodSyncHarness();
    const created = h.createPod('bye', { initContainers: [sidecar('first'), sidecar('second')] });
    const sync = h.syncFor(created);
    await h.step(sync, 'bye');
    const steps: string[] = [];
    const stop = h.runtime.stopContainer.bind(h.runtime);
    h.runtime.stopContainer = async (id, timeout) => {
      const name = h.runtime.state.containers.get(id)?.config.name ?? id;
      steps.push(`stop ${name}`);
      // A stop that takes a while: without ordering, the sidecars' stops would begin meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 5));
      await stop(id, timeout);
      steps.push(`stopped ${name}`);
    };
    await sync.sync(deleting(await h.pod('bye'), h.clock.now()));
    // (The fake's sandbox stop then stops every container again: only the first round matters.)
    assert.deepEqual(steps.slice(0, 6), ['stop app', 'stopped app', 'stop second', 'stopped second', 'stop first', 'stopped first']);
  });
});

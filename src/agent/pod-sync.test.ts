import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CONFIGMAPS, PODS, SECRETS } from '../client/resource-types.js';
import { NotFoundError } from '../lib/errors.js';
import { takeInventory } from './adoption.js';
import type { PodObject } from './object-types.js';
import { HOST_IP, PodSyncHarness } from './pod-sync.fixture.js';

function condition(pod: PodObject, type: string): { status?: string; reason?: string; message?: string } | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

describe('PodSync', () => {
  it('takes a pod from Pending to Running and Ready with upstream status shape and Events', async () => {
    const h = new PodSyncHarness();
    const created = h.createPod('web', {});
    const { pod } = await h.step(h.syncFor(created), 'web');
    assert.equal(pod.status?.phase, 'Running');
    assert.deepEqual(pod.status?.conditions?.map((c) => `${c.type}=${c.status}`), [
      'PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True',
    ]);
    const [status] = pod.status?.containerStatuses ?? [];
    assert.equal(status?.name, 'app');
    assert.ok(status?.state?.running?.startedAt);
    assert.equal(status?.ready, true);
    assert.equal(status?.started, true);
    assert.equal(status?.restartCount, 0);
    assert.match(status?.containerID ?? '', /^fake:\/\/c/);
    assert.equal(status?.image, 'busybox');
    assert.equal(status?.imageID, 'busybox');
    assert.equal(pod.status?.hostIP, HOST_IP);
    assert.match(pod.status?.podIP ?? '', /^10\.244\./);
    assert.deepEqual(pod.status?.podIPs, [{ ip: pod.status?.podIP }]);
    assert.ok(pod.status?.startTime);
    assert.equal(pod.status?.qosClass, 'BestEffort');
    assert.deepEqual(h.recorder.reasons(), ['Pulled', 'Created', 'Started']);
    assert.deepEqual(h.messages('Created'), ['Created container: app']);
    assert.deepEqual(h.messages('Started'), ['Started container app']);
    assert.match(h.messages('Pulled')[0] ?? '', /recorded, not pulled/);
  });

  it('does not write the status again when nothing changed', async () => {
    const h = new PodSyncHarness();
    const sync = h.syncFor(h.createPod('web', {}));
    await h.step(sync, 'web');
    const writes = h.clients.actions.length;
    await h.step(sync, 'web');
    assert.equal(h.clients.actions.length, writes);
  });

  it('a steady pod costs one status read per container per sync (no second read when nothing started)', async () => {
    const h = new PodSyncHarness();
    const sync = h.syncFor(h.createPod('web', {}));
    await h.step(sync, 'web');
    const runtime = h.runtime;
    const read = runtime.containerStatus.bind(runtime);
    let reads = 0;
    runtime.containerStatus = async (id) => {
      reads += 1;
      return read(id);
    };
    await h.step(sync, 'web');
    assert.equal(reads, 1);
  });

  it('restarts an exited container at once, then with CrashLoopBackOff doubling from 10s', async () => {
    const h = new PodSyncHarness();
    const sync = h.syncFor(h.createPod('crash', {}));
    await h.step(sync, 'crash');
    const [first] = h.containerIds('app');
    h.runtime.exitContainer(first ?? '', 1);
    h.clock.advance(1000);
    let { pod } = await h.step(sync, 'crash');
    let status = pod.status?.containerStatuses?.[0];
    assert.equal(status?.restartCount, 1, 'first restart is immediate');
    assert.ok(status?.state?.running);
    assert.equal(status?.lastState?.terminated?.exitCode, 1);
    assert.equal(status?.lastState?.terminated?.reason, 'Error');

    h.runtime.exitContainer(h.containerIds('app').at(-1) ?? '', 2);
    h.clock.advance(1000);
    ({ pod } = await h.step(sync, 'crash'));
    status = pod.status?.containerStatuses?.[0];
    assert.equal(status?.state?.waiting?.reason, 'CrashLoopBackOff');
    const uid = pod.metadata?.uid ?? '';
    assert.equal(status?.state?.waiting?.message, `back-off 10s restarting failed container=app pod=crash_default(${uid})`);
    assert.equal(status?.lastState?.terminated?.exitCode, 2);
    assert.equal(status?.ready, false);
    assert.equal(condition(pod, 'Ready')?.status, 'False');
    assert.equal(pod.status?.phase, 'Running');
    assert.deepEqual(h.messages('BackOff'), [`Back-off restarting failed container app in pod crash_default(${uid})`]);

    h.clock.advance(8000);
    ({ pod } = await h.step(sync, 'crash'));
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason, 'CrashLoopBackOff', 'still 1s to go');
    h.clock.advance(1000);
    ({ pod } = await h.step(sync, 'crash'));
    status = pod.status?.containerStatuses?.[0];
    assert.equal(status?.restartCount, 2);
    assert.ok(status?.state?.running);

    h.runtime.exitContainer(h.containerIds('app').at(-1) ?? '', 1);
    ({ pod } = await h.step(sync, 'crash'));
    assert.match(pod.status?.containerStatuses?.[0]?.state?.waiting?.message ?? '', /^back-off 20s /);
    assert.equal(h.containerIds('app').length, 2, 'only the current and the previous attempt are kept');
  });

  it('OnFailure leaves a container that exited 0 alone: the pod Succeeded', async () => {
    const h = new PodSyncHarness();
    const sync = h.syncFor(h.createPod('job', { restartPolicy: 'OnFailure' }));
    await h.step(sync, 'job');
    h.runtime.exitContainer(h.containerIds('app')[0] ?? '', 0);
    const { pod } = await h.step(sync, 'job');
    assert.equal(pod.status?.phase, 'Succeeded');
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.terminated?.reason, 'Completed');
    assert.equal(condition(pod, 'Ready')?.reason, 'PodCompleted');
    await h.step(sync, 'job');
    assert.equal(h.containerIds('app').length, 1, 'not restarted');
  });

  it('OnFailure restarts a failed container; Never does not and the pod Failed', async () => {
    const h = new PodSyncHarness();
    const onFailure = h.syncFor(h.createPod('a', { restartPolicy: 'OnFailure' }));
    await h.step(onFailure, 'a');
    h.runtime.exitContainer(h.containerIds('app')[0] ?? '', 3);
    const a = (await h.step(onFailure, 'a')).pod;
    assert.equal(a.status?.containerStatuses?.[0]?.restartCount, 1);

    const h2 = new PodSyncHarness();
    const never = h2.syncFor(h2.createPod('b', { restartPolicy: 'Never' }));
    await h2.step(never, 'b');
    h2.runtime.exitContainer(h2.containerIds('app')[0] ?? '', 3);
    const b = (await h2.step(never, 'b')).pod;
    assert.equal(b.status?.phase, 'Failed');
    assert.equal(b.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 3);
    assert.equal(h2.containerIds('app').length, 1);
  });

  it('kills and restarts a container whose liveness probe fails failureThreshold times', async () => {
    const h = new PodSyncHarness();
    const sync = h.syncFor(h.createPod('live', {
      containers: [{ name: 'app', image: 'busybox', livenessProbe: { exec: { command: ['check'] }, periodSeconds: 5, failureThreshold: 2 } }],
    }));
    await h.step(sync, 'live');
    assert.deepEqual(h.messages('Unhealthy'), [], 'the first probe passed');
    h.runtime.setExecResult('app', { exitCode: 1, stdout: 'not healthy', stderr: '' });
    h.clock.advance(5000);
    await h.step(sync, 'live');
    assert.deepEqual(h.messages('Unhealthy'), ['Liveness probe failed: not healthy']);
    assert.deepEqual(h.messages('Killing'), [], 'one failure is below the threshold');
    h.clock.advance(5000);
    const { outcome } = await h.step(sync, 'live');
    assert.deepEqual(h.messages('Killing'), ['Container app failed liveness probe, will be restarted']);
    assert.equal(outcome.nextSyncMs, 0, 'the restart follows at once');
    h.runtime.setExecResult('app', { exitCode: 0, stdout: '', stderr: '' });
    const { pod } = await h.step(sync, 'live');
    const status = pod.status?.containerStatuses?.[0];
    assert.equal(status?.restartCount, 1);
    assert.ok(status?.state?.running);
    assert.equal(status?.lastState?.terminated?.exitCode, 143);
  });

  it('a failing readiness probe keeps the pod not Ready; passing makes it Ready', async () => {
    const h = new PodSyncHarness();
    const sync = h.syncFor(h.createPod('ready', {
      containers: [{ name: 'app', image: 'busybox', readinessProbe: { exec: { command: ['ready'] }, initialDelaySeconds: 3, periodSeconds: 10 } }],
    }));
    let { pod } = await h.step(sync, 'ready');
    assert.equal(condition(pod, 'Ready')?.status, 'False', 'not ready before the first probe');
    assert.equal(condition(pod, 'ContainersReady')?.message, 'containers with unready status: [app]');
    assert.equal(condition(pod, 'Ready')?.reason, 'ContainersNotReady');
    h.runtime.setExecResult('app', { exitCode: 1, stdout: '', stderr: 'nope' });
    h.clock.advance(3000);
    ({ pod } = await h.step(sync, 'ready'));
    assert.equal(pod.status?.containerStatuses?.[0]?.ready, false);
    assert.deepEqual(h.messages('Unhealthy'), ['Readiness probe failed: nope']);
    assert.deepEqual(h.messages('Killing'), [], 'readiness never kills');
    h.runtime.setExecResult('app', { exitCode: 0, stdout: '', stderr: '' });
    h.clock.advance(10_000);
    ({ pod } = await h.step(sync, 'ready'));
    assert.equal(condition(pod, 'Ready')?.status, 'True');
    assert.equal(pod.status?.containerStatuses?.[0]?.ready, true);
  });

  it('a startup probe gates liveness and readiness', async () => {
    const h = new PodSyncHarness();
    const sync = h.syncFor(h.createPod('slow', {
      containers: [{
        name: 'app', image: 'busybox',
        startupProbe: { exec: { command: ['started'] }, periodSeconds: 1, failureThreshold: 30 },
        livenessProbe: { exec: { command: ['live'] }, periodSeconds: 1, failureThreshold: 1 },
      }],
    }));
    h.runtime.setExecResult('app', { exitCode: 1, stdout: 'starting', stderr: '' });
    let { pod } = await h.step(sync, 'slow');
    assert.equal(pod.status?.containerStatuses?.[0]?.started, false);
    assert.deepEqual(h.messages('Unhealthy'), ['Startup probe failed: starting']);
    assert.deepEqual(h.messages('Killing'), [], 'liveness (threshold 1) did not run while not started');
    h.runtime.setExecResult('app', { exitCode: 0, stdout: '', stderr: '' });
    h.clock.advance(1000);
    ({ pod } = await h.step(sync, 'slow'));
    assert.equal(pod.status?.containerStatuses?.[0]?.started, true);
    assert.equal(condition(pod, 'Ready')?.status, 'True');
  });

  it('runs init containers one by one, in order, before the app containers', async () => {
    const h = new PodSyncHarness();
    const sync = h.syncFor(h.createPod('init', {
      initContainers: [{ name: 'one', image: 'busybox' }, { name: 'two', image: 'busybox' }],
    }));
    let { pod } = await h.step(sync, 'init');
    assert.deepEqual(h.containerIds('two'), []);
    assert.deepEqual(h.containerIds('app'), []);
    assert.equal(pod.status?.phase, 'Pending');
    assert.equal(condition(pod, 'Initialized')?.message, 'containers with incomplete status: [one two]');
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason, 'PodInitializing');
    assert.ok(pod.status?.initContainerStatuses?.[0]?.state?.running);
    h.runtime.exitContainer(h.containerIds('one')[0] ?? '', 0);
    ({ pod } = await h.step(sync, 'init'));
    assert.equal(h.containerIds('two').length, 1);
    assert.deepEqual(h.containerIds('app'), []);
    assert.equal(pod.status?.initContainerStatuses?.[0]?.ready, true);
    h.runtime.exitContainer(h.containerIds('two')[0] ?? '', 0);
    ({ pod } = await h.step(sync, 'init'));
    assert.equal(h.containerIds('app').length, 1);
    assert.equal(pod.status?.phase, 'Running');
    assert.equal(condition(pod, 'Initialized')?.status, 'True');
    const created = h.messages('Created');
    assert.deepEqual(created, ['Created container: one', 'Created container: two', 'Created container: app']);
  });

  it('a failed init container with restartPolicy Never fails the pod', async () => {
    const h = new PodSyncHarness();
    const sync = h.syncFor(h.createPod('initfail', { restartPolicy: 'Never', initContainers: [{ name: 'one', image: 'busybox' }] }));
    await h.step(sync, 'initfail');
    h.runtime.exitContainer(h.containerIds('one')[0] ?? '', 1);
    const { pod } = await h.step(sync, 'initfail');
    assert.equal(pod.status?.phase, 'Failed');
    assert.deepEqual(h.containerIds('app'), []);
  });

  it('resolves env (values, $(VAR), configMap/secret refs, fieldRef) and writes configMap/secret volumes', async () => {
    const h = new PodSyncHarness();
    h.clients.seed(CONFIGMAPS, { metadata: { name: 'cfg', namespace: 'default' }, data: { mode: 'fast', 'app.conf': 'x=1\n' } });
    h.clients.seed(SECRETS, { metadata: { name: 'sec', namespace: 'default' }, data: { password: Buffer.from('s3cret').toString('base64') } });
    const sync = h.syncFor(h.createPod('env', {
      volumes: [
        { name: 'conf', configMap: { name: 'cfg', items: [{ key: 'app.conf', path: 'sub/app.conf' }] } },
        { name: 'creds', secret: { secretName: 'sec', defaultMode: 0o400 } },
        { name: 'scratch', emptyDir: {} },
      ],
      containers: [{
        name: 'app', image: 'busybox', args: ['--mode=$(MODE)'],
        env: [
          { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } },
          { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'sec', key: 'password' } } },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'GREETING', value: 'hello $(POD_NAME) $$(POD_NAME)' },
          { name: 'MISSING', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } },
        ],
        volumeMounts: [{ name: 'conf', mountPath: '/etc/app' }, { name: 'creds', mountPath: '/secrets', readOnly: true }],
      }],
    }));
    const { pod } = await h.step(sync, 'env');
    const [container] = [...h.runtime.state.containers.values()];
    const env = Object.fromEntries(container?.config.env.map((e) => [e.name, e.value]) ?? []);
    assert.deepEqual(env, {
      MODE: 'fast', PASSWORD: 's3cret', POD_NAME: 'env', POD_IP: pod.status?.podIP, GREETING: 'hello env $(POD_NAME)',
    });
    assert.deepEqual(container?.config.args, ['--mode=fast']);
    const uid = pod.metadata?.uid ?? '';
    // configMap and emptyDir in the data dir, the secret in the memory root (as upstream's tmpfs).
    const volumes = path.join(h.dataDir, 'pods', uid, 'volumes');
    const inMemory = path.join(h.memoryDir, 'pods', uid, 'volumes');
    assert.equal(readFileSync(path.join(volumes, 'conf', 'sub', 'app.conf'), 'utf8'), 'x=1\n');
    assert.equal(readFileSync(path.join(inMemory, 'creds', 'password'), 'utf8'), 's3cret');
    assert.equal(existsSync(path.join(volumes, 'creds')), false, 'the secret never touches the data dir');
    assert.equal(statSync(path.join(inMemory, 'creds', 'password')).mode & 0o777, 0o400);
    assert.ok(statSync(path.join(volumes, 'scratch')).isDirectory());
    assert.deepEqual(container?.config.mounts, [
      { containerPath: '/etc/app', hostPath: path.join(volumes, 'conf'), readOnly: false },
      { containerPath: '/secrets', hostPath: path.join(inMemory, 'creds'), readOnly: true },
    ]);
    // The pod object gone: its directories go from both roots.
    assert.deepEqual(await sync.sync(undefined), { finished: true });
    assert.equal(existsSync(path.join(h.dataDir, 'pods', uid)), false);
    assert.equal(existsSync(path.join(h.memoryDir, 'pods', uid)), false);
  });

  it('a missing configMap: FailedMount for a volume, CreateContainerConfigError for env', async () => {
    const h = new PodSyncHarness();
    const vol = h.syncFor(h.createPod('vol', { volumes: [{ name: 'conf', configMap: { name: 'absent' } }] }));
    let { pod } = await h.step(vol, 'vol');
    assert.deepEqual(h.messages('FailedMount'), ['MountVolume.SetUp failed for volume "conf" : configmap "absent" not found']);
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason, 'ContainerCreating');
    assert.equal(pod.status?.phase, 'Pending');

    const env = h.syncFor(h.createPod('env', {
      containers: [{ name: 'app', image: 'busybox', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k' } } }] }],
    }));
    ({ pod } = await h.step(env, 'env'));
    assert.deepEqual(pod.status?.containerStatuses?.[0]?.state?.waiting, { reason: 'CreateContainerConfigError', message: 'configmap "absent" not found' });
    assert.ok(h.messages('Failed').includes('Error: configmap "absent" not found'));
  });

  it('a failed start (StartError) is retried; the container status reports the error', async () => {
    const h = new PodSyncHarness();
    h.runtime.failNextStart('app', 'exec: "nope": executable file not found');
    const sync = h.syncFor(h.createPod('bad', {}));
    let { pod } = await h.step(sync, 'bad');
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason, 'RunContainerError');
    ({ pod } = await h.step(sync, 'bad'));
    assert.ok(pod.status?.containerStatuses?.[0]?.state?.running);
    assert.equal(pod.status?.containerStatuses?.[0]?.restartCount, 1);
  });

  it('graceful deletion: preStop, stop, sandbox removed, then the pod object deleted with grace 0', async () => {
    const h = new PodSyncHarness();
    const created = h.createPod('bye', {
      containers: [{ name: 'app', image: 'busybox', lifecycle: { preStop: { exec: { command: ['drain'] } } } }],
    });
    const sync = h.syncFor(created);
    await h.step(sync, 'bye');
    const execs: string[][] = [];
    const original = h.runtime.execSync.bind(h.runtime);
    h.runtime.execSync = (id, command, timeout) => {
      execs.push([...command]);
      return original(id, command, timeout);
    };
    const current = await h.pod('bye');
    const deleting: PodObject = { ...current, metadata: { ...current.metadata, deletionTimestamp: h.clock.now().toISOString(), deletionGracePeriodSeconds: 30 } };
    const outcome = await sync.sync(deleting);
    assert.equal(outcome.finished, false, 'the worker stays until the pod is gone from the informer');
    assert.deepEqual(execs, [['drain']]);
    assert.deepEqual(h.messages('Killing'), ['Stopping container app']);
    assert.equal(h.runtime.state.sandboxes.size, 0);
    assert.equal(h.runtime.state.containers.size, 0);
    await assert.rejects(h.pod('bye'), NotFoundError);
    const deletion = h.clients.actions.find((a) => a.verb === 'delete');
    assert.equal(deletion?.name, 'bye');
    assert.equal((await sync.sync(undefined)).finished, true);
  });

  it('re-adopts running containers after an agent restart: no duplicates, restart counts kept', async () => {
    const h = new PodSyncHarness();
    const created = h.createPod('keep', {});
    const sync = h.syncFor(created);
    await h.step(sync, 'keep');
    h.runtime.exitContainer(h.containerIds('app')[0] ?? '', 1);
    await h.step(sync, 'keep');
    assert.equal(h.runtime.state.containers.size, 2);
    h.restartAgent();
    const inventory = await takeInventory(h.runtime);
    const uid = created.metadata?.uid ?? '';
    const adopted = inventory.pods.get(uid);
    assert.ok(adopted?.sandbox);
    const again = h.syncFor(created, adopted);
    const { pod } = await h.step(again, 'keep');
    assert.equal(h.runtime.state.sandboxes.size, 1, 'no second sandbox');
    assert.equal(h.containerIds('app').length, 2, 'no new container');
    assert.equal(pod.status?.containerStatuses?.[0]?.restartCount, 1);
    assert.ok(pod.status?.containerStatuses?.[0]?.state?.running);
  });

  it('a pod object deleted while the sync still had containers: torn down, finished', async () => {
    const h = new PodSyncHarness();
    const created = h.createPod('gone', {});
    const sync = h.syncFor(created);
    await h.step(sync, 'gone');
    await h.clients.resource<PodObject>(PODS).delete('default', 'gone');
    const outcome = await sync.sync(undefined);
    assert.equal(outcome.finished, true);
    assert.equal(h.runtime.state.sandboxes.size, 0);
  });
});

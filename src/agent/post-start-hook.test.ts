import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PodSyncHarness } from './pod-sync.fixture.js';

const hook = (command: string[]) => ({ postStart: { exec: { command } } });

describe('postStart hooks', () => {
  it('run right after the start, before the next container is created; the container is Running after', async () => {
    const h = new PodSyncHarness();
    const steps: string[] = [];
    const exec = h.runtime.execSync.bind(h.runtime);
    h.runtime.execSync = (id, command, timeout) => {
      steps.push(`exec ${command.join(' ')}`);
      return exec(id, command, timeout);
    };
    const create = h.runtime.createContainer.bind(h.runtime);
    h.runtime.createContainer = (sandboxId, config) => {
      steps.push(`create ${config.name}`);
      return create(sandboxId, config);
    };
    const sync = h.syncFor(h.createPod('hook', {
      containers: [
        { name: 'one', image: 'busybox', lifecycle: hook(['sh', '-c', 'echo hi > /data/index.html']) },
        { name: 'two', image: 'busybox' },
      ],
    }));
    const { pod } = await h.step(sync, 'hook');
    assert.deepEqual(steps, ['create one', 'exec sh -c echo hi > /data/index.html', 'create two']);
    assert.ok(pod.status?.containerStatuses?.[0]?.state?.running);
    assert.equal(pod.status?.phase, 'Running');
    assert.deepEqual(h.messages('FailedPostStartHook'), []);
  });

  it('a failing hook: FailedPostStartHook, the container killed and restarted, then CrashLoopBackOff', async () => {
    const h = new PodSyncHarness();
    h.runtime.setExecResult('app', { exitCode: 1, stdout: '', stderr: 'no such file' });
    const sync = h.syncFor(h.createPod('bad', { containers: [{ name: 'app', image: 'busybox', lifecycle: hook(['sh', '-c', 'cat /nope']) }] }));
    let { pod } = await h.step(sync, 'bad');
    const uid = pod.metadata?.uid ?? '';
    assert.deepEqual(h.messages('FailedPostStartHook'), ['PostStartHook failed']);
    assert.deepEqual(h.messages('Killing'), ['FailedPostStartHook']);
    let status = pod.status?.containerStatuses?.[0];
    assert.deepEqual(status?.state?.waiting, {
      reason: 'PostStartHookError',
      message: `Exec lifecycle hook ([sh -c cat /nope]) for Container "app" in Pod "bad_default(${uid})" failed - error: command 'sh -c cat /nope' exited with 1: no such file, message: "no such file"`,
    });
    assert.equal(status?.lastState?.terminated?.exitCode, 143);
    assert.equal(status?.ready, false);
    assert.equal(h.containerIds('app').length, 1);

    ({ pod } = await h.step(sync, 'bad'));
    status = pod.status?.containerStatuses?.[0];
    assert.equal(h.containerIds('app').length, 2, 'the first restart is immediate');
    assert.equal(status?.restartCount, 1);
    assert.equal(status?.state?.waiting?.reason, 'PostStartHookError');

    ({ pod } = await h.step(sync, 'bad'));
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason, 'CrashLoopBackOff');
    h.runtime.setExecResult('app', { exitCode: 0, stdout: '', stderr: '' });
    h.clock.advance(10_000);
    ({ pod } = await h.step(sync, 'bad'));
    status = pod.status?.containerStatuses?.[0];
    assert.ok(status?.state?.running, 'the hook passed this time');
    assert.equal(status?.restartCount, 2);
    assert.equal(h.messages('FailedPostStartHook').length, 2);
  });

  it('a failing hook with restartPolicy Never: the container stays terminated and the pod Failed', async () => {
    const h = new PodSyncHarness();
    h.runtime.setExecResult('app', { exitCode: 2, stdout: '', stderr: '' });
    const sync = h.syncFor(h.createPod('once', { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox', lifecycle: hook(['false']) }] }));
    let { pod } = await h.step(sync, 'once');
    assert.equal(pod.status?.phase, 'Failed');
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 143);
    ({ pod } = await h.step(sync, 'once'));
    assert.equal(h.containerIds('app').length, 1, 'not restarted');
  });

  it('the preStop of a container killed for its postStart hook runs too', async () => {
    const h = new PodSyncHarness();
    const commands: string[] = [];
    h.runtime.execSync = (_id, command) => {
      commands.push(command.join(' '));
      return Promise.resolve({ exitCode: command[0] === 'post' ? 1 : 0, stdout: '', stderr: '' });
    };
    const sync = h.syncFor(h.createPod('both', {
      containers: [{ name: 'app', image: 'busybox', lifecycle: { postStart: { exec: { command: ['post'] } }, preStop: { exec: { command: ['pre'] } } } }],
    }));
    await h.step(sync, 'both');
    assert.deepEqual(commands, ['post', 'pre']);
  });
});

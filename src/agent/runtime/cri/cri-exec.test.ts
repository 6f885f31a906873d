// openCriExec against a real private containerd (test/helpers/containerd-env.ts), through
// CriRuntime.exec: containerd's streaming server over SPDY with v4.channel.k8s.io. Skips without
// containerd; under CI=true a missing containerd fails loudly.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { containerdSkipReason, startContainerdEnv, type ContainerdEnv } from '../../../../test/helpers/containerd-env.js';
import { systemClock } from '../../../lib/clock.js';
import { silentLogger } from '../../../lib/logger.js';
import { ExecStartError } from '../exec-start-error.js';
import type { ExecRequest } from '../runtime.js';
import { cgroupHierarchies } from './cgroup-parent.js';
import { exitCodeFromStatus } from './cri-exec.js';
import { CriRuntime } from './cri-runtime.js';

const skip = containerdSkipReason();

async function text(stream: Readable | undefined): Promise<string> {
  if (!stream) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('v4 status of an exec', () => {
  it('maps Success, NonZeroExitCode and errors', () => {
    assert.equal(exitCodeFromStatus('{"metadata":{},"status":"Success"}'), 0);
    assert.equal(exitCodeFromStatus(''), 0);
    assert.equal(
      exitCodeFromStatus('{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: exit status 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}'),
      3,
    );
    assert.throws(
      () => exitCodeFromStatus('{"metadata":{},"status":"Failure","message":"Internal error occurred: error executing command in container: failed to exec in container: boom","reason":"InternalError","code":500}'),
      (error: unknown) => error instanceof ExecStartError && error.message === 'failed to exec in container: boom',
    );
    // An attach's runtime error carries kubelet's attach prefix; the agent's attach route adds it back.
    assert.throws(
      () => exitCodeFromStatus('{"metadata":{},"status":"Failure","message":"Internal error occurred: error attaching to container: container is in CONTAINER_EXITED state","reason":"InternalError","code":500}'),
      (error: unknown) => error instanceof ExecStartError && error.message === 'container is in CONTAINER_EXITED state',
    );
    assert.throws(() => exitCodeFromStatus('{"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[]}}'), /no ExitCode cause/);
    assert.throws(() => exitCodeFromStatus('not json'), /error stream protocol error/);
  });
});

describe('exec through containerd (CRI streaming, SPDY)', { skip }, () => {
  let env: ContainerdEnv;
  let rt: CriRuntime;
  let logDir: string;
  let containerId: string;
  const cgroupRoot = `/k8ts-crx-${randomBytes(3).toString('hex')}`;

  before(async () => {
    env = await startContainerdEnv();
    logDir = await mkdtemp(join(tmpdir(), 'k8ts-cri-exec-'));
    rt = new CriRuntime({ socket: env.socket, logger: silentLogger(), clock: systemClock, cgroupRoot, owner: 'exec-test' });
    await rt.pullImage(env.images.shell);
    const sandboxId = await rt.runPodSandbox({
      podUid: `exec-${randomBytes(3).toString('hex')}`, podName: 'ex', podNamespace: 'default', attempt: 0, hostname: 'ex',
      hostNetwork: false, portMappings: [], logDirectory: join(logDir, 'pod'), labels: {},
    });
    containerId = await rt.createContainer(sandboxId, {
      name: 'main', image: env.images.shell, command: [], args: [], env: [{ name: 'FOO', value: 'bar' }], mounts: [],
      logPath: join(logDir, 'pod', 'main', '0.log'), attempt: 0, resources: {}, tty: false, stdin: false, labels: {},
    });
    await rt.startContainer(containerId);
  });

  after(async () => {
    // containerd is stopped even when a removal fails: a live child would keep this file's process up.
    try {
      for (const sandbox of (await rt?.listPodSandboxes()) ?? []) await rt.removePodSandbox(sandbox.id);
    } finally {
      await rt?.close();
      await env?.stop();
    }
    for (const hierarchy of await cgroupHierarchies()) await rmdir(join(hierarchy, cgroupRoot)).catch(() => undefined);
    if (logDir) await rm(logDir, { recursive: true, force: true });
    assert.deepEqual(await env.leftovers(), []);
  });

  const request = (command: string[], extra: Partial<ExecRequest> = {}): ExecRequest => ({
    containerId, command, stdin: false, stdout: true, stderr: true, tty: false, ...extra,
  });

  it('returns stdout, stderr and the exit code', async () => {
    const session = await rt.exec(request(['sh', '-c', 'echo out $FOO; echo err >&2; exit 3']));
    const [out, err, code] = await Promise.all([text(session.stdout), text(session.stderr), session.exit]);
    assert.equal(out, 'out bar\n');
    assert.equal(err, 'err\n');
    assert.equal(code, 3);
  });

  it('passes stdin and its EOF', async () => {
    const session = await rt.exec(request(['cat'], { stdin: true }));
    session.stdin?.end('hello through containerd\n');
    const [out, code] = await Promise.all([text(session.stdout), session.exit]);
    assert.equal(out, 'hello through containerd\n');
    assert.equal(code, 0);
  });

  it('gives a TTY and resizes it', async () => {
    const watch = 'i=0; while [ "$(stty size 2>/dev/null)" != "30 100" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; stty size; tty';
    const session = await rt.exec(request(['sh', '-c', watch], { tty: true, stdin: true }));
    assert.equal(session.stderr, undefined);
    const out = text(session.stdout);
    session.resize(100, 30);
    const code = await session.exit;
    assert.match(await out, /^30 100\r\n\/dev\/pts\/\d+\r\n$/);
    assert.equal(code, 0);
  });

  it('rejects a command that does not exist with runc\'s message', async () => {
    const session = await rt.exec(request(['no-such-command-k8ts']));
    const out = text(session.stdout);
    await assert.rejects(session.exit, (error: unknown) => {
      assert.ok(error instanceof ExecStartError);
      assert.match(error.message, /exec: "no-such-command-k8ts": executable file not found in \$PATH/);
      return true;
    });
    await out;
  });
});

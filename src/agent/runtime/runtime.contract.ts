// The ContainerRuntime contract (DESIGN.md: contract suites run against every backend of a seam).
// A backend's test calls runRuntimeContract with a harness. Runtimes that really execute commands
// (process) are checked through real commands; hollow ones (fake) through their scripting hooks,
// so one suite pins the behaviour the agent relies on for both.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { ContainerConfig, ContainerRuntime, ContainerStatus, ExecResult, PodSandboxConfig } from './runtime.js';

export interface RuntimeHarness {
  readonly runtime: ContainerRuntime;
  /** A new runtime instance over the same state: what a restarted agent gets. */
  reopen(): Promise<ContainerRuntime>;
  /** A scratch directory for sandbox log directories. */
  readonly logDir: string;
  /** true: containers really run their command (logs, signals and exec are observable). */
  readonly executes: boolean;
  /** The image containers run (a runtime that pulls needs one it has; default busybox:1.36). */
  readonly image?: string;
  /** For runtimes that do not execute: the same effects, scripted. */
  readonly script?: {
    exit(containerId: string, exitCode: number): void;
    setExecResult(containerName: string, result: ExecResult): void;
    failNextStart(containerName: string, message: string): void;
  };
  /** Removes whatever the harness created (temp dirs); the suite has removed its sandboxes. */
  close(): Promise<void>;
}

const CRI_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z (stdout|stderr) (P|F) (.*)$/;

async function rejectsNotFound(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: unknown) => (error as { code?: string }).code === 'NotFound');
}

/** `executesProcesses: false` (hollow runtimes) leaves out the cases about real processes. */
export function runRuntimeContract(
  name: string,
  makeHarness: () => Promise<RuntimeHarness>,
  options: { readonly executesProcesses: boolean } = { executesProcesses: true },
): void {
  describe(`ContainerRuntime contract: ${name}`, () => {
    let h: RuntimeHarness;
    let rt: ContainerRuntime;
    let pods = 0;
    const reopened: ContainerRuntime[] = [];

    before(async () => {
      h = await makeHarness();
      rt = h.runtime;
    });

    after(async () => {
      // The harness is closed even when a removal fails: a runtime's daemon left running would keep
      // this file's process up.
      try {
        for (const sandbox of await rt.listPodSandboxes()) await rt.removePodSandbox(sandbox.id);
      } finally {
        await rt.close();
        for (const other of reopened) await other.close();
        await h.close();
      }
    });

    function sandboxConfig(labels: Record<string, string> = {}): PodSandboxConfig {
      const n = ++pods;
      return {
        podUid: `uid-${n}`,
        podName: `pod-${n}`,
        podNamespace: 'default',
        attempt: 0,
        hostname: `pod-${n}`,
        hostNetwork: false,
        portMappings: [],
        logDirectory: join(h.logDir, `default_pod-${n}_uid-${n}`),
        labels: { 'io.kubernetes.pod.uid': `uid-${n}`, ...labels },
      };
    }

    function containerConfig(sandbox: PodSandboxConfig, containerName: string, script: string, extra: Partial<ContainerConfig> = {}): ContainerConfig {
      return {
        name: containerName,
        image: h.image ?? 'busybox:1.36',
        command: ['/bin/sh', '-c'],
        args: [script],
        env: [{ name: 'FOO', value: 'bar' }],
        mounts: [],
        logPath: join(sandbox.logDirectory, containerName, '0.log'),
        attempt: 0,
        resources: {},
        tty: false,
        stdin: false,
        labels: { 'io.kubernetes.container.name': containerName },
        ...extra,
      };
    }

    async function startPod(labels: Record<string, string> = {}): Promise<{ id: string; config: PodSandboxConfig }> {
      const config = sandboxConfig(labels);
      return { id: await rt.runPodSandbox(config), config };
    }

    async function run(sandbox: { id: string; config: PodSandboxConfig }, containerName: string, script: string): Promise<string> {
      const id = await rt.createContainer(sandbox.id, containerConfig(sandbox.config, containerName, script));
      await rt.startContainer(id);
      return id;
    }

    async function waitExited(id: string, runtime: ContainerRuntime = rt): Promise<ContainerStatus> {
      for (let i = 0; i < 400; i++) {
        const status = await runtime.containerStatus(id);
        if (status.state === 'exited') return status;
        await sleep(25);
      }
      throw new Error(`container ${id} did not exit`);
    }

    async function exitWith(id: string, code: number): Promise<ContainerStatus> {
      if (!h.executes) h.script?.exit(id, code);
      return waitExited(id);
    }

    it('runs, lists, stops and removes a pod sandbox', async () => {
      const config = sandboxConfig({ app: 'web' });
      const id = await rt.runPodSandbox(config);
      const status = await rt.podSandboxStatus(id);
      assert.equal(status.id, id);
      assert.equal(status.podUid, config.podUid);
      assert.equal(status.state, 'ready');
      assert.match(status.ip ?? '', /^\d+\.\d+\.\d+\.\d+$/);
      assert.ok((await rt.listPodSandboxes()).some((s) => s.id === id));
      await rt.stopPodSandbox(id);
      await rt.stopPodSandbox(id);
      assert.equal((await rt.podSandboxStatus(id)).state, 'notready');
      await rt.removePodSandbox(id);
      await rt.removePodSandbox(id);
      assert.ok(!(await rt.listPodSandboxes()).some((s) => s.id === id));
      await rejectsNotFound(rt.podSandboxStatus(id));
    });

    it('creates, starts, stops and removes a container', async () => {
      const pod = await startPod();
      const config = containerConfig(pod.config, 'app', 'sleep 30');
      const id = await rt.createContainer(pod.id, config);
      const created = await rt.containerStatus(id);
      assert.equal(created.state, 'created');
      assert.equal(created.name, 'app');
      assert.equal(created.image, h.image ?? 'busybox:1.36');
      assert.equal(created.sandboxId, pod.id);
      assert.equal(created.logPath, config.logPath);
      await rt.startContainer(id);
      const running = await rt.containerStatus(id);
      assert.equal(running.state, 'running');
      assert.ok(running.startedAt instanceof Date);
      await rt.stopContainer(id, 5);
      const stopped = await rt.containerStatus(id);
      assert.equal(stopped.state, 'exited');
      assert.ok(stopped.finishedAt instanceof Date);
      assert.equal(typeof stopped.exitCode, 'number');
      await rt.stopContainer(id, 5);
      await rt.removeContainer(id);
      await rejectsNotFound(rt.containerStatus(id));
      assert.deepEqual(await rt.listContainers({ sandboxId: pod.id }), []);
      await rt.removePodSandbox(pod.id);
    });

    it('reports exit code 0 as Completed and any other as Error', async () => {
      const pod = await startPod();
      const ok = await exitWith(await run(pod, 'ok', h.executes ? 'exit 0' : 'sleep 30'), 0);
      assert.equal(ok.exitCode, 0);
      assert.equal(ok.reason, 'Completed');
      const bad = await exitWith(await run(pod, 'bad', h.executes ? 'exit 3' : 'sleep 30'), 3);
      assert.equal(bad.exitCode, 3);
      assert.equal(bad.reason, 'Error');
      await rt.removePodSandbox(pod.id);
    });

    it('a container that cannot start is exited with StartError', async () => {
      const pod = await startPod();
      h.script?.failNextStart('nostart', 'exec: "no-such-binary-k8ts": executable file not found in $PATH');
      const config = containerConfig(pod.config, 'nostart', '', { command: ['no-such-binary-k8ts'], args: [] });
      const id = await rt.createContainer(pod.id, config);
      await assert.rejects(rt.startContainer(id));
      const status = await rt.containerStatus(id);
      assert.equal(status.state, 'exited');
      assert.equal(status.exitCode, 128);
      assert.equal(status.reason, 'StartError');
      assert.match(status.message ?? '', /no-such-binary-k8ts/);
      await rt.removePodSandbox(pod.id);
    });

    it('labels round-trip through listPodSandboxes and listContainers', async () => {
      const pod = await startPod({ 'k8ts.io/test': 'labels' });
      const id = await run(pod, 'labelled', 'sleep 30');
      const sandbox = (await rt.listPodSandboxes()).find((s) => s.id === pod.id);
      assert.equal(sandbox?.labels['k8ts.io/test'], 'labels');
      const [container, ...rest] = await rt.listContainers({ sandboxId: pod.id });
      assert.equal(rest.length, 0);
      assert.equal(container?.id, id);
      assert.equal(container.labels['io.kubernetes.container.name'], 'labelled');
      await rt.removePodSandbox(pod.id);
      assert.deepEqual(await rt.listContainers({ sandboxId: pod.id }), []);
    });

    it('execSync returns the exit code and output', async () => {
      const pod = await startPod();
      const id = await run(pod, 'exec', 'sleep 30');
      h.script?.setExecResult('exec', { exitCode: 4, stdout: 'hi bar\n', stderr: 'oops\n' });
      const result = await rt.execSync(id, ['/bin/sh', '-c', 'echo hi $FOO; echo oops >&2; exit 4'], 5);
      assert.deepEqual(result, { exitCode: 4, stdout: 'hi bar\n', stderr: 'oops\n' });
      await rt.removePodSandbox(pod.id);
    });

    it('attach to a container that does not exist: NotFound', async () => {
      await rejectsNotFound(rt.attach({ containerId: 'no-such-container', stdin: true, stdout: true, stderr: true, tty: false }));
    });

    it('a new runtime instance over the same state re-adopts running containers', async () => {
      const pod = await startPod({ 'k8ts.io/test': 'readopt' });
      const id = await run(pod, 'long', 'sleep 30');
      const second = await h.reopen();
      reopened.push(second);
      const sandbox = (await second.listPodSandboxes()).find((s) => s.id === pod.id);
      assert.equal(sandbox?.state, 'ready');
      assert.equal(sandbox.labels['k8ts.io/test'], 'readopt');
      const containers = await second.listContainers({ sandboxId: pod.id });
      assert.equal(containers.length, 1);
      assert.equal(containers[0]?.id, id);
      assert.equal(containers[0].state, 'running');
      assert.equal(containers[0].labels['io.kubernetes.container.name'], 'long');
      await second.stopContainer(id, 5);
      assert.equal((await waitExited(id, second)).state, 'exited');
      await second.removePodSandbox(pod.id);
    });

    if (options.executesProcesses) describe('real processes', () => {
      it('stopContainer sends SIGTERM first (a trapping process exits on its own terms)', async () => {
        const pod = await startPod();
        const id = await run(pod, 'graceful', 'trap "exit 0" TERM; while :; do sleep 0.05; done');
        await sleep(100); // let the shell install its trap
        await rt.stopContainer(id, 10);
        const status = await rt.containerStatus(id);
        assert.equal(status.exitCode, 0);
        assert.equal(status.reason, 'Completed');
        await rt.removePodSandbox(pod.id);
      });

      it('stopContainer sends SIGKILL after the timeout (exit code 137)', async () => {
        const pod = await startPod();
        const id = await run(pod, 'stubborn', 'trap "" TERM; while :; do sleep 0.05; done');
        await sleep(100);
        await rt.stopContainer(id, 1);
        const status = await rt.containerStatus(id);
        assert.equal(status.state, 'exited');
        assert.equal(status.exitCode, 137);
        assert.equal(status.reason, 'Error');
        await rt.removePodSandbox(pod.id);
      });

      // attach: the session's stdin is the main process's; its end detaches, or with stdinOnce (an
      // attach without a TTY) is the process's EOF. Live output is optional (the log has it all).
      it('attach feeds a stdin: true container; the end of a session detaches, a later one still reaches it', async () => {
        const pod = await startPod();
        const id = await rt.createContainer(pod.id, containerConfig(pod.config, 'shell', 'while read -r line; do echo "got $line"; [ "$line" = bye ] && exit 5; done; echo eof', { stdin: true }));
        await rt.startContainer(id);
        const first = await rt.attach({ containerId: id, stdin: true, stdout: true, stderr: true, tty: false });
        first.stdout?.resume();
        first.stderr?.resume();
        assert.ok(first.stdin);
        first.stdin.end('one\n');
        assert.equal(await first.exit, 0);
        assert.equal((await rt.containerStatus(id)).state, 'running');
        const second = await rt.attach({ containerId: id, stdin: true, stdout: true, stderr: true, tty: false });
        second.stdout?.resume();
        second.stderr?.resume();
        second.stdin?.write('bye\n');
        const status = await waitExited(id);
        assert.equal(status.exitCode, 5);
        assert.equal(await second.exit, 0);
        second.close();
        const log = await readFile(status.logPath, 'utf8');
        assert.match(log, / stdout F got one\n[^]* stdout F got bye\n/);
        assert.doesNotMatch(log, /eof/);
        await rt.removePodSandbox(pod.id);
      });

      it('attach with stdinOnce: the first session\'s end is the process\'s EOF', async () => {
        const pod = await startPod();
        const id = await rt.createContainer(pod.id, containerConfig(pod.config, 'once', 'cat; echo "after eof"', { stdin: true, stdinOnce: true }));
        await rt.startContainer(id);
        const session = await rt.attach({ containerId: id, stdin: true, stdout: true, stderr: true, tty: false });
        session.stdout?.resume();
        session.stderr?.resume();
        session.stdin?.end('typed\n');
        const status = await waitExited(id);
        assert.equal(status.exitCode, 0);
        assert.equal(await session.exit, 0);
        session.close();
        const log = await readFile(status.logPath, 'utf8');
        assert.match(log, / stdout F typed\n[^]* stdout F after eof\n/);
        await rt.removePodSandbox(pod.id);
      });

      it('a tty: true container runs on a terminal (its output, stderr included, is the terminal\'s)', async () => {
        const pod = await startPod();
        const id = await rt.createContainer(pod.id, containerConfig(pod.config, 'term', 'tty; echo "term=$TERM" >&2', { tty: true }));
        await rt.startContainer(id);
        const status = await waitExited(id);
        assert.equal(status.exitCode, 0);
        const log = await readFile(status.logPath, 'utf8');
        assert.match(log, / stdout F \/dev\/pts\/\d+\r?\n/);
        assert.match(log, / stdout F term=xterm\r?\n/);
        await rt.removePodSandbox(pod.id);
      });

      it('writes stdout and stderr to logPath in the CRI format (P for a partial last line)', async () => {
        const pod = await startPod();
        const id = await run(pod, 'logger', 'echo out1; echo err1 >&2; echo "two  spaces"; printf partial');
        const status = await waitExited(id);
        const lines = (await readFile(status.logPath, 'utf8')).split('\n');
        assert.equal(lines.pop(), '');
        const parsed = lines.map((line) => {
          const m = CRI_LINE.exec(line);
          assert.ok(m, `not a CRI log line: ${line}`);
          return `${m[2]} ${m[3]} ${m[4]}`;
        });
        assert.deepEqual(parsed.filter((l) => l.startsWith('stdout')), ['stdout F out1', 'stdout F two  spaces', 'stdout P partial']);
        assert.deepEqual(parsed.filter((l) => l.startsWith('stderr')), ['stderr F err1']);
        await rt.removePodSandbox(pod.id);
      });
    });

  });
}

import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { silentLogger } from '../../lib/logger.js';
import { LogServer } from '../logs/log-server.js';
import { startExecSession } from '../runtime/process/exec-session.js';
import type { ContainerRuntime, ContainerStatus, ExecRequest, SandboxStatus } from '../runtime/runtime.js';
import { CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL } from '../runtime-labels.js';
import { createExecRoute, parseExecUrl } from './exec-route.js';
import { PodLocator } from './pod-locator.js';

const TOKEN = 'secret-token';

/** Just enough runtime for the locator and exec: one pod `default/web` with container `main`, whose execs are host commands. */
function hostRuntime(requests: ExecRequest[], gate: { wait?: Promise<void> }): ContainerRuntime {
  const sandbox: SandboxStatus = {
    id: 'sb1', podUid: 'uid1', state: 'ready', createdAt: new Date(), labels: { [POD_NAMESPACE_LABEL]: 'default', [POD_NAME_LABEL]: 'web' },
  };
  const container: ContainerStatus = {
    id: 'c1', sandboxId: 'sb1', name: 'main', image: 'x', attempt: 0, state: 'running', createdAt: new Date(), logPath: '/dev/null',
    labels: { [CONTAINER_NAME_LABEL]: 'main' },
  };
  const runtime: Partial<ContainerRuntime> = {
    listPodSandboxes: () => Promise.resolve([sandbox]),
    listContainers: () => Promise.resolve([container]),
    exec: async (request) => {
      requests.push(request);
      await gate.wait;
      return startExecSession({ argv: request.command, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, cwd: '/', stdin: request.stdin, stderr: request.stderr, tty: request.tty });
    },
  };
  return runtime as ContainerRuntime;
}

interface ExecOutcome {
  readonly protocol: string;
  readonly channels: Map<number, Buffer>;
  readonly status: Record<string, unknown> | undefined;
  readonly closeCode: number;
}

function query(command: readonly string[], flags: Record<string, boolean>): string {
  const params = new URLSearchParams();
  for (const word of command) params.append('command', word);
  for (const [name, value] of Object.entries(flags)) if (value) params.set(name, 'true');
  return params.toString();
}

/** Runs one exec as kubectl does; `drive` may send stdin/resize/close frames once open. */
function exec(port: number, path: string, options: { protocol?: string; drive?: (ws: WebSocket) => void } = {}): Promise<ExecOutcome> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, [options.protocol ?? 'v5.channel.k8s.io'], { headers: { Authorization: `Bearer ${TOKEN}` } });
  // Chunks kept per channel and joined once at the end: joining on every message copies
  // quadratically (32 MiB in 4 KiB frames took tens of seconds on a loaded machine).
  const chunks = new Map<number, Buffer[]>();
  const channels = new Map<number, Buffer>();
  return new Promise((resolve, reject) => {
    ws.on('open', () => options.drive?.(ws));
    ws.on('message', (data: Buffer) => {
      const channel = data[0] ?? -1;
      const list = chunks.get(channel) ?? [];
      list.push(data.subarray(1));
      chunks.set(channel, list);
    });
    ws.on('error', reject);
    ws.on('close', (code) => {
      for (const [channel, list] of chunks) channels.set(channel, Buffer.concat(list));
      const status = channels.get(3);
      resolve({ protocol: ws.protocol, channels, status: status ? (JSON.parse(status.toString('utf8')) as Record<string, unknown>) : undefined, closeCode: code });
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const text = (outcome: ExecOutcome, channel: number): string => outcome.channels.get(channel)?.toString('utf8') ?? '';

describe('exec route', { timeout: 60_000 }, () => {
  const requests: ExecRequest[] = [];
  /** When set, exec waits for it (input arriving before the command runs). */
  const gate: { wait?: Promise<void> } = {};
  let server: LogServer;
  let port: number;

  before(async () => {
    const runtime = hostRuntime(requests, gate);
    const route = createExecRoute({ runtime, locator: new PodLocator({ runtime }), logger: silentLogger() });
    server = new LogServer({ port: 0, address: '127.0.0.1', token: TOKEN, logger: silentLogger(), resolvePod: () => Promise.resolve(undefined), routes: [route] });
    port = await server.start();
  });
  after(async () => server.close());

  it('runs a command: stdout, stderr, and the exit code as a NonZeroExitCode status', async () => {
    const outcome = await exec(port, `/exec/default/web/main?${query(['sh', '-c', 'echo out; echo err >&2; exit 3'], { stdout: true, stderr: true })}`);
    assert.equal(outcome.protocol, 'v5.channel.k8s.io');
    assert.equal(text(outcome, 1), 'out\n');
    assert.equal(text(outcome, 2), 'err\n');
    assert.deepEqual(outcome.status, {
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: exit status 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
    assert.equal(outcome.closeCode, 1000);
    assert.deepEqual(requests.at(-1), { containerId: 'c1', command: ['sh', '-c', 'echo out; echo err >&2; exit 3'], stdin: false, stdout: true, stderr: true, tty: false });
  });

  it('reports success', async () => {
    const outcome = await exec(port, `/exec/default/web/main?${query(['true'], { stdout: true, stderr: true })}`);
    assert.deepEqual(outcome.status, { metadata: {}, status: 'Success' });
  });

  it('feeds stdin and ends it on a v5 close frame, also when sent before the command runs', async () => {
    let open = (): void => undefined;
    gate.wait = new Promise<void>((resolve) => {
      open = resolve;
    });
    const outcome = await exec(port, `/exec/default/web/main?${query(['cat'], { stdin: true, stdout: true, stderr: true })}`, {
      drive: (ws) => {
        ws.send(Buffer.from([0, ...Buffer.from('hello ')]));
        ws.send(Buffer.from([0, ...Buffer.from('world\n')]));
        ws.send(Buffer.from([255, 0]));
        // The pong proves the agent has read the frames above; only then may the command start.
        ws.once('pong', () => open());
        ws.ping();
      },
    });
    delete gate.wait;
    assert.equal(text(outcome, 1), 'hello world\n');
    assert.deepEqual(outcome.status, { metadata: {}, status: 'Success' });
  });

  it('moves large amounts both ways intact', async () => {
    const piece = Buffer.alloc(64 * 1024, 7);
    const outcome = await exec(port, `/exec/default/web/main?${query(['sh', '-c', 'wc -c; head -c 8388608 /dev/zero'], { stdin: true, stdout: true })}`, {
      drive: (ws) => {
        for (let i = 0; i < 64; i++) ws.send(Buffer.concat([Buffer.from([0]), piece]));
        ws.send(Buffer.from([255, 0]));
      },
    });
    const out = outcome.channels.get(1) ?? Buffer.alloc(0);
    const firstLine = out.subarray(0, out.indexOf(10) + 1).toString('utf8');
    assert.equal(firstLine.trim(), String(64 * piece.length));
    assert.equal(out.length - firstLine.length, 8388608);
    assert.deepEqual(outcome.status, { metadata: {}, status: 'Success' });
  });

  it('holds the command back while the client does not read (backpressure)', async () => {
    const marker = join(tmpdir(), `k8ts-exec-bp-${process.pid}-${Date.now()}`);
    const total = 32 * 1024 * 1024;
    let blockedWhilePaused: boolean | undefined;
    const outcome = await exec(port, `/exec/default/web/main?${query(['sh', '-c', `head -c ${total} /dev/zero; touch ${marker}`], { stdout: true })}`, {
      drive: (ws) => {
        ws.pause();
        // While nothing is read, the command must not get its 32 MiB out: the marker stays absent.
        // (If backpressure were missing, the agent would buffer everything and the marker would appear.)
        setTimeout(() => {
          blockedWhilePaused = !existsSync(marker);
          ws.resume();
        }, 1500);
      },
    });
    await rm(marker, { force: true });
    assert.equal(blockedWhilePaused, true);
    assert.equal(outcome.channels.get(1)?.length, total);
    assert.deepEqual(outcome.status, { metadata: {}, status: 'Success' });
  });

  it('speaks v4 when only v4 is offered', async () => {
    const outcome = await exec(port, `/exec/default/web/main?${query(['echo', 'v4'], { stdout: true })}`, { protocol: 'v4.channel.k8s.io' });
    assert.equal(outcome.protocol, 'v4.channel.k8s.io');
    assert.equal(text(outcome, 1), 'v4\n');
  });

  it('gives a TTY and applies resizes', async () => {
    const watch = 'i=0; while [ "$(stty size)" != "30 100" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; stty size; tty';
    const outcome = await exec(port, `/exec/default/web/main?${query(['sh', '-c', watch], { stdin: true, stdout: true, tty: true })}`, {
      drive: (ws) => {
        ws.send(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":0,"Height":0}')]));
        ws.send(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":100,')]));
        ws.send(Buffer.concat([Buffer.from([4]), Buffer.from('"Height":30}')]));
      },
    });
    assert.match(text(outcome, 1), /^30 100\r\n\/dev\/pts\/\d+\r\n$/);
    assert.equal(outcome.channels.has(2), false);
    assert.deepEqual(outcome.status, { metadata: {}, status: 'Success' });
  });

  it('reports a command that cannot be found as kubelet does', async () => {
    const outcome = await exec(port, `/exec/default/web/main?${query(['no-such-command-k8ts'], { stdout: true, stderr: true })}`);
    const message = 'error executing command in container: exec: "no-such-command-k8ts": executable file not found in $PATH';
    assert.deepEqual(outcome.status, {
      metadata: {}, status: 'Failure', message: `Internal error occurred: ${message}`, reason: 'InternalError', details: { causes: [{ message }] }, code: 500,
    });
    assert.equal(outcome.closeCode, 1000);
  });

  it('reports a container that is not running', async () => {
    const outcome = await exec(port, `/exec/default/web/other?${query(['true'], { stdout: true })}`);
    assert.equal(outcome.status?.['status'], 'Failure');
    assert.equal(outcome.status?.['message'], 'container "other" in pod "web" is not running');
  });

  it('ends the command when the client goes away', async () => {
    let pid = 0;
    const outcome = await exec(port, `/exec/default/web/main?${query(['sh', '-c', 'echo $$; exec sleep 30'], { stdout: true })}`, {
      drive: (ws) => ws.on('message', (data: Buffer) => {
        const line = /(\d+)\n/.exec(data.subarray(1).toString('utf8'));
        if (line?.[1] === undefined) return;
        pid = Number(line[1]);
        ws.close();
      }),
    });
    assert.equal(outcome.status, undefined);
    assert.ok(pid > 0);
    // The sleep would live 30 s; it must be gone well before (bounded poll, not a timing assertion).
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(isAlive(pid), false);
  });

  it('refuses what cannot work before upgrading', async () => {
    await assert.rejects(exec(port, `/exec/default/web/main?${query([], { stdout: true })}`), /Unexpected server response: 400/);
    await assert.rejects(exec(port, `/exec/default/web/main?${query(['true'], {})}`), /Unexpected server response: 400/);
    await assert.rejects(exec(port, `/exec/default/web/main?${query(['true'], { stdout: true })}`, { protocol: 'channel.k8s.io' }), /Unexpected server response: 400/);
  });

  it('parses kubelet URLs', () => {
    assert.equal(parseExecUrl(new URL('http://x/containerLogs/a/b/c')), undefined);
    const target = parseExecUrl(new URL('http://x/exec/ns/pod/uid-1/ctr?command=ls&command=-l&stderr=1&tty=true&stdout=true'));
    assert.deepEqual(target, { namespace: 'ns', pod: 'pod', container: 'ctr', command: ['ls', '-l'], streams: { stdin: false, stdout: true, stderr: false }, tty: true });
  });
});

// The per-container shim: a small detached `node` process that spawns the container's command in
// its own process group, turns its stdout/stderr into CRI-format log lines, and records the exit
// code in a state file. It is independent of the agent: the agent can die and restart while the
// container keeps running and logging, and the restarted runtime re-adopts it from the state files.
//
// Why `node -e <source>`: the shim must start fast (it is on every container's start path) and
// must not need the TypeScript loader (~250 ms more under tsx). So shimMain below is written as a
// self-contained function (no imports, no closures) whose compiled text is run by a bare node; its
// modules come in as parameters. esbuild (tsx) wraps named functions in `__name(...)` calls, so the
// source defines a no-op `__name` first.
import { spawn } from 'node:child_process';
import type * as Fs from 'node:fs';
import type * as ChildProcess from 'node:child_process';
import type * as Os from 'node:os';
import type * as Path from 'node:path';

export interface ShimSpec {
  /** The full command line, wrappers (ip netns exec, unshare) included. */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly logPath: string;
  /** The shim writes `{exitCode, signal, finishedAt}` here (atomically) when the command ended. */
  readonly exitPath: string;
  /** Longer lines are split into `P` records of this many bytes (containerd's default: 16 KiB). */
  readonly maxLineBytes: number;
  /** The command line reports readiness by writing to (or closing) fd 3: start counts from then. */
  readonly waitReady: boolean;
}

export interface ShimExit {
  readonly exitCode: number;
  readonly signal?: string;
  readonly finishedAt: string;
  readonly reason?: string;
  readonly message?: string;
}

interface ShimDeps {
  readonly fs: typeof Fs;
  readonly childProcess: typeof ChildProcess;
  readonly os: typeof Os;
  readonly path: typeof Path;
}

/** Runs inside the shim process. Self-contained: see the file comment. */
export function shimMain(deps: ShimDeps, specJson: string): void {
  const { fs, childProcess, os, path } = deps;
  const spec = JSON.parse(specJson) as ShimSpec;
  // CRI timestamps are RFC3339Nano: wall-clock ms at start plus a monotonic ns offset.
  const baseNs = BigInt(Date.now()) * 1000000n;
  const hr0 = process.hrtime.bigint();
  const timestamp = (): string => {
    const ns = baseNs + (process.hrtime.bigint() - hr0);
    const whole = new Date(Number(ns / 1000000000n) * 1000).toISOString().slice(0, 19);
    const fraction = (ns % 1000000000n).toString().padStart(9, '0').replace(/0+$/, '');
    return fraction === '' ? `${whole}Z` : `${whole}.${fraction}Z`;
  };
  const writeFileAtomic = (file: string, text: string): void => {
    fs.writeFileSync(`${file}.tmp`, text);
    fs.renameSync(`${file}.tmp`, file);
  };
  const handshake = (message: object): void => {
    try {
      fs.writeSync(3, `${JSON.stringify(message)}\n`);
      fs.closeSync(3);
    } catch {
      // The agent is gone already; the state files tell the next one.
    }
  };

  fs.mkdirSync(path.dirname(spec.logPath), { recursive: true });
  const logFd = fs.openSync(spec.logPath, 'a');
  const newline = Buffer.from('\n');
  const record = (stream: string, tag: string, content: Buffer): void => {
    fs.writeSync(logFd, Buffer.concat([Buffer.from(`${timestamp()} ${stream} ${tag} `), content, newline]));
  };
  const pump = (stream: 'stdout' | 'stderr', readable: NodeJS.ReadableStream): Promise<void> => {
    let pending: Buffer = Buffer.alloc(0);
    readable.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let start = 0;
      for (;;) {
        const end = pending.indexOf(10, start);
        if (end < 0) break;
        let line = pending.subarray(start, end);
        while (line.length > spec.maxLineBytes) {
          record(stream, 'P', line.subarray(0, spec.maxLineBytes));
          line = line.subarray(spec.maxLineBytes);
        }
        record(stream, 'F', line);
        start = end + 1;
      }
      pending = pending.subarray(start);
      while (pending.length >= spec.maxLineBytes) {
        record(stream, 'P', pending.subarray(0, spec.maxLineBytes));
        pending = pending.subarray(spec.maxLineBytes);
      }
    });
    return new Promise((resolve) => {
      readable.on('close', () => {
        if (pending.length > 0) record(stream, 'P', pending);
        resolve();
      });
    });
  };

  const [file = '', ...args] = spec.argv;
  const child = childProcess.spawn(file, args, {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    stdio: spec.waitReady ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
  });
  let spawned = false;
  child.on('spawn', () => {
    spawned = true;
    const ready = spec.waitReady ? child.stdio[3] : null;
    if (!ready) {
      handshake({ pid: child.pid });
      return;
    }
    let told = false;
    const tell = (): void => {
      if (told) return;
      told = true;
      handshake({ pid: child.pid });
      ready.destroy();
    };
    ready.on('data', tell);
    ready.on('close', tell);
    ready.on('error', tell);
  });
  child.on('error', (error: NodeJS.ErrnoException) => {
    if (spawned) return;
    const exit: ShimExit = { exitCode: 128, finishedAt: new Date().toISOString(), reason: 'StartError', message: error.message };
    writeFileAtomic(spec.exitPath, JSON.stringify(exit));
    handshake({ error: error.message });
    process.exit(0);
  });
  const { stdout, stderr } = child;
  const drained = stdout && stderr ? Promise.all([pump('stdout', stdout), pump('stderr', stderr)]) : Promise.resolve([]);
  child.on('exit', (code, signal) => {
    // The container's main process is gone: like a PID namespace, take the rest of its group along.
    try {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    } catch {
      // Nothing left in the group.
    }
    const exitCode = code ?? 128 + (signal ? os.constants.signals[signal] : 0);
    void drained.then(() => {
      fs.closeSync(logFd);
      const exit: ShimExit = { exitCode, ...(signal ? { signal } : {}), finishedAt: new Date().toISOString() };
      writeFileAtomic(spec.exitPath, JSON.stringify(exit));
      process.exit(0);
    });
  });
}

const SHIM_SOURCE = `"use strict";
var __name = (f) => f;
(${shimMain.toString()})({ fs: require('node:fs'), childProcess: require('node:child_process'), os: require('node:os'), path: require('node:path') }, process.env.K8TS_SHIM_SPEC);
`;

export interface StartedShim {
  readonly shimPid: number;
  /** The container's main process; also its process group id. */
  readonly pid: number;
}

/** Starts a shim for the spec; resolves once the command runs, rejects if it could not start. */
export function startShim(spec: ShimSpec, shimLogFd: number): Promise<StartedShim> {
  const shim = spawn(process.execPath, ['--max-old-space-size=32', '-e', SHIM_SOURCE], {
    detached: true,
    cwd: '/',
    env: { K8TS_SHIM_SPEC: JSON.stringify(spec), PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
    stdio: ['ignore', shimLogFd, shimLogFd, 'pipe'],
  });
  return new Promise<StartedShim>((resolve, reject) => {
    const channel = shim.stdio[3];
    if (!channel || shim.pid === undefined) {
      reject(new Error('could not start the container shim'));
      return;
    }
    const shimPid = shim.pid;
    let text = '';
    const finish = (): void => {
      channel.removeAllListeners();
      channel.destroy();
      shim.removeAllListeners();
      shim.unref();
    };
    channel.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const end = text.indexOf('\n');
      if (end < 0) return;
      finish();
      const message = JSON.parse(text.slice(0, end)) as { pid?: number; error?: string };
      if (message.pid !== undefined) resolve({ shimPid, pid: message.pid });
      else reject(new Error(message.error ?? 'the container did not start'));
    });
    shim.on('error', (error) => {
      finish();
      reject(error);
    });
    shim.on('exit', (code) => {
      finish();
      reject(new Error(`the container shim exited (${code ?? 'signal'}) before the container started`));
    });
  });
}

// The container shim: a small detached `node` process that spawns containers' commands, each in
// its own process group, turns their stdout/stderr into CRI-format log lines, and records each exit
// code in a state file. It is independent of the agent: the agent can die and restart while the
// containers keep running and logging, and the restarted runtime re-adopts them from the state
// files.
//
// One shim serves every container a runtime instance starts (shim-host.ts talks to it over an IPC
// channel), not one shim per container: a node process costs ~100 ms of CPU and ~40 MB to start,
// which on a small machine made starting 100 pods take seconds of CPU for the shims alone. The shim
// exits once the runtime that started it is gone (its channel closed) and none of its containers
// runs; a restarted runtime starts its own shim for new containers and leaves the old one to finish
// with the containers it watches.
//
// Why `node -e <source>`: the shim must not need the TypeScript loader (~250 ms more under tsx). So
// shimMain below is written as a self-contained function (no imports, no closures) whose compiled
// text is run by a bare node; its modules come in as parameters. esbuild (tsx) wraps named
// functions in `__name(...)` calls, so the source defines a no-op `__name` first.
//
// A container with `stdin: true` (or a TTY) gets a pipe as its stdin, held by the shim for the
// container's life as containerd's shim holds its stdin FIFO, so the process does not see EOF while
// nobody is attached. kubectl attach -i reaches it through a unix socket in the container's state
// directory (the agent may restart meanwhile; the socket stays): a session's first byte says what
// its end means (ATTACH_CLOSES_STDIN: close the pipe, the process's EOF, which containerd does for a
// stdinOnce container without a TTY; ATTACH_DETACHES: only detach), the rest is written to
// the pipe. The shim sends nothing back: attach output is read from the log file like `kubectl logs -f`.
import type * as Fs from 'node:fs';
import type * as Net from 'node:net';
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
  /** Keep a pipe on the command's stdin (container stdin or TTY); absent: stdin is /dev/null. */
  readonly input?: ShimInput;
}

export interface ShimInput {
  /** Attach sessions connect here; absent: the pipe is held open and never written (a TTY without stdin). */
  readonly socketPath?: string;
}

/** An attach session's first byte: its end closes the container's stdin. */
export const ATTACH_CLOSES_STDIN = 0x43;
/** An attach session's first byte: its end only detaches. */
export const ATTACH_DETACHES = 0x44;

export interface ShimExit {
  readonly exitCode: number;
  readonly signal?: string;
  readonly finishedAt: string;
  readonly reason?: string;
  readonly message?: string;
}

/** A short command the shim runs and waits for (CNI plugins, `ip`): see shim-host.ts for why. */
export interface ShimCommand {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly stdin: string;
}

export interface ShimCommandResult {
  /** null: killed by a signal. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runtime -> shim: start this container, or run this command. */
export type ShimRequest = { readonly id: number; readonly spec: ShimSpec } | { readonly id: number; readonly command: ShimCommand };

/** Shim -> runtime: `ready` once after the shim started, then one answer per request. */
export type ShimReply =
  | { readonly ready: true }
  | { readonly id: number; readonly pid?: number; readonly result?: ShimCommandResult; readonly error?: string };

interface ShimDeps {
  readonly fs: typeof Fs;
  readonly net: typeof Net;
  readonly childProcess: typeof ChildProcess;
  readonly os: typeof Os;
  readonly path: typeof Path;
}

/** Runs inside the shim process. Self-contained: see the file comment. */
export function shimMain(deps: ShimDeps): void {
  const { fs, net, childProcess, os, path } = deps;
  // Containers started and not yet fully reported (exit file written), and whether the runtime is gone.
  let live = 0;
  let orphaned = false;
  const exitIfIdle = (): void => {
    if (orphaned && live === 0) process.exit(0);
  };
  const reply = (message: ShimReply): void => {
    try {
      process.send?.(message);
    } catch {
      // The runtime is gone already; the state files tell the next one.
    }
  };
  process.on('disconnect', () => {
    orphaned = true;
    exitIfIdle();
  });
  process.on('message', (request: ShimRequest) => {
    live++;
    try {
      if ('command' in request) runCommand(request.id, request.command);
      else startContainer(request.id, request.spec);
    } catch (error) {
      live--;
      reply({ id: request.id, error: error instanceof Error ? error.message : String(error) });
    }
  });
  // One container's trouble must not take the others' logs and exit codes down with the shim.
  process.on('uncaughtException', (error) => console.error('k8ts shim:', error));
  reply({ ready: true });

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

  function runCommand(id: number, command: ShimCommand): void {
    const [file = '', ...args] = command.argv;
    const child = childProcess.spawn(file, args, { env: command.env, cwd: '/', stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let answered = false;
    const answer = (message: ShimReply): void => {
      if (answered) return;
      answered = true;
      reply(message);
      live--;
      exitIfIdle();
    };
    child.on('error', (error) => answer({ id, error: error.message }));
    child.on('close', (code) => answer({ id, result: { code, stdout, stderr } }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(command.stdin);
  }

  /** Serves attach sessions for the command's stdin pipe; close() when the container is gone. */
  function serveInput(input: ShimInput, stdin: NodeJS.WritableStream): { close(): void } {
    stdin.on('error', () => undefined);
    let open = true;
    const sessions = new Set<Net.Socket>();
    const socketPath = input.socketPath;
    if (socketPath === undefined) return { close: () => undefined };
    const server = net.createServer({ allowHalfOpen: true }, (conn) => {
      sessions.add(conn);
      let over = false;
      // The session's first byte (ATTACH_CLOSES_STDIN 'C' or ATTACH_DETACHES 'D'; inlined: no imports here).
      let closesStdin: boolean | undefined;
      const sessionOver = (): void => {
        if (over) return;
        over = true;
        if (closesStdin === true) {
          // EOF for the process; the session stays (it ends when the container exits).
          if (open) stdin.end();
          open = false;
        } else if (!conn.destroyed) {
          conn.end();
        }
      };
      conn.on('data', (data: Buffer) => {
        let chunk = data;
        if (closesStdin === undefined) {
          closesStdin = chunk[0] === 0x43;
          chunk = chunk.subarray(1);
        }
        if (!open || chunk.length === 0) return;
        if (!stdin.write(chunk)) {
          conn.pause();
          stdin.once('drain', () => conn.resume());
        }
      });
      conn.on('end', sessionOver);
      conn.on('error', () => undefined);
      conn.on('close', () => {
        sessions.delete(conn);
        sessionOver();
      });
    });
    server.on('error', (error) => console.error('k8ts shim: attach socket', socketPath, error));
    try {
      fs.unlinkSync(socketPath);
    } catch {
      // None left over.
    }
    server.listen(socketPath);
    return {
      close() {
        server.close();
        for (const conn of sessions) conn.destroy();
        try {
          fs.unlinkSync(socketPath);
        } catch {
          // The container's directory is gone already.
        }
      },
    };
  }

  function startContainer(id: number, spec: ShimSpec): void {
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
      stdio: [spec.input ? 'pipe' : 'ignore', 'pipe', 'pipe', ...(spec.waitReady ? ['pipe' as const] : [])],
    });
    const input = spec.input && child.stdin ? serveInput(spec.input, child.stdin) : undefined;
    let spawned = false;
    child.on('spawn', () => {
      spawned = true;
      const ready = spec.waitReady ? child.stdio[3] : null;
      if (!ready) {
        reply({ id: id, pid: child.pid ?? 0 });
        return;
      }
      let told = false;
      const tell = (): void => {
        if (told) return;
        told = true;
        reply({ id: id, pid: child.pid ?? 0 });
        ready.destroy();
      };
      ready.on('data', tell);
      ready.on('close', tell);
      ready.on('error', tell);
    });
    let reported = false;
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (spawned || reported) return;
      reported = true;
      input?.close();
      fs.closeSync(logFd);
      const exit: ShimExit = { exitCode: 128, finishedAt: new Date().toISOString(), reason: 'StartError', message: error.message };
      writeFileAtomic(spec.exitPath, JSON.stringify(exit));
      reply({ id: id, error: error.message });
      live--;
      exitIfIdle();
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
      if (reported) return;
      reported = true;
      void drained.then(() => {
        fs.closeSync(logFd);
        const exit: ShimExit = { exitCode, ...(signal ? { signal } : {}), finishedAt: new Date().toISOString() };
        try {
          writeFileAtomic(spec.exitPath, JSON.stringify(exit));
        } catch {
          // The container was removed meanwhile (its directory is gone): nobody asks any more.
        }
        // After the exit file: a session that ends now finds the container exited (its output complete).
        input?.close();
        live--;
        exitIfIdle();
      });
    });
  }
}

export const SHIM_SOURCE = `"use strict";
var __name = (f) => f;
(${shimMain.toString()})({ fs: require('node:fs'), net: require('node:net'), childProcess: require('node:child_process'), os: require('node:os'), path: require('node:path') });
`;

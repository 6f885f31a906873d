// The container shim: a small detached `node` process that spawns containers' commands, each in
// its own process group, turns their stdout/stderr into CRI-format log lines, and records each exit
// code in a state file. It is independent of the agent: the agent can die and restart while the
// containers keep running and logging, and the restarted runtime re-adopts them from the state
// files.
//
// One shim serves every container started over a state directory (shim-host.ts talks to it over a
// unix socket there, one JSON message a line), not one shim per container: a node process costs
// ~100 ms of CPU and ~40 MB to start, which on a small machine made starting 100 pods take seconds
// of CPU for the shims alone. A restarted runtime connects to the shim that is still running rather
// than starting a second one. The shim exits once no runtime is connected and none of its
// containers runs. It tells the runtime that started it that it listens by closing fd 3 (a pipe).
//
// Why `node -e <source>`: the shim must not need the TypeScript loader (~250 ms more under tsx). So
// shimMain below is written as a self-contained function (no imports, no closures) whose compiled
// text is run by a bare node; its modules, and shimStdinServer (shim-stdin.ts, written the same
// way, its text put beside it), come in as parameters. esbuild (tsx) wraps named
// functions in `__name(...)` calls, so the source defines a no-op `__name` first. What goes over
// the socket and into the state files is in shim-protocol.ts.
import type * as Fs from 'node:fs';
import type * as Net from 'node:net';
import type * as ChildProcess from 'node:child_process';
import type * as Os from 'node:os';
import type * as Path from 'node:path';
import type { ShimCommand, ShimExit, ShimReply, ShimRequest, ShimSpec } from './shim-protocol.js';
import { shimStdinServer } from './shim-stdin.js';

interface ShimDeps {
  readonly fs: typeof Fs;
  readonly net: typeof Net;
  readonly childProcess: typeof ChildProcess;
  readonly os: typeof Os;
  readonly path: typeof Path;
  readonly stdinServer: typeof shimStdinServer;
}

/** Runs inside the shim process. Self-contained: see the file comment. */
export function shimMain(deps: ShimDeps): void {
  const { fs, net, childProcess, os, path, stdinServer } = deps;
  // Inlined, not SHIM_SOCKET_ENV: nothing outside this function exists in the shim process.
  const socketPath = process.env['K8TS_SHIM_SOCKET'] ?? '';
  // Containers started and not yet fully reported (exit file written), commands running, and the
  // runtimes connected: the shim lives while any of them is there.
  let live = 0;
  const clients = new Set<Net.Socket>();
  const server = net.createServer((conn) => serveRuntime(conn));
  // Our socket file, once we listen: a state directory removed and made again under the same path has
  // a new shim at a new socket file there, which is not ours to remove. (Inode and change time: a
  // freed inode number is soon used again.)
  const fileId = (): string => {
    const stat = fs.statSync(socketPath, { bigint: true });
    return `${stat.ino}:${stat.ctimeNs}`;
  };
  let socketFile: string | undefined;
  const exitIfIdle = (): void => {
    if (live > 0 || clients.size > 0) return;
    // Not server.close(): libuv unlinks the socket's path then, whichever file is there now.
    try {
      if (fileId() === socketFile) fs.unlinkSync(socketPath);
    } catch {
      // Gone already.
    }
    process.exit(0);
  };
  // One container's trouble must not take the others' logs and exit codes down with the shim.
  process.on('uncaughtException', (error) => console.error('k8ts shim:', error));

  /** A runtime's connection: newline-separated JSON requests in, replies out. */
  function serveRuntime(conn: Net.Socket): void {
    clients.add(conn);
    const send = (message: ShimReply): void => {
      // A runtime gone meanwhile: the state files tell the next one.
      if (!conn.destroyed) conn.write(`${JSON.stringify(message)}\n`);
    };
    send({ shimPid: process.pid });
    let buffered = '';
    conn.setEncoding('utf8');
    conn.on('data', (text: string) => {
      buffered += text;
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        handle(JSON.parse(line) as ShimRequest, send);
      }
    });
    conn.on('error', () => undefined);
    conn.on('close', () => {
      clients.delete(conn);
      exitIfIdle();
    });
  }

  function handle(request: ShimRequest, send: (message: ShimReply) => void): void {
    live++;
    try {
      if ('command' in request) runCommand(request.id, request.command, send);
      else startContainer(request.id, request.spec, send);
    } catch (error) {
      live--;
      send({ id: request.id, error: error instanceof Error ? error.message : String(error) });
    }
  }

  // Closing fd 3 tells the runtime that started us to connect (see shim-host.ts).
  const listening = (): void => {
    try {
      socketFile = fileId();
    } catch {
      // Removed already: nothing to remove at the end either.
    }
    try {
      fs.closeSync(3);
    } catch {
      // Not started by a runtime that waits.
    }
    // Nobody connected within 30 s (the runtime that started us is gone): do not linger.
    setTimeout(exitIfIdle, 30_000);
  };
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') {
      console.error('k8ts shim: cannot listen on', socketPath, error);
      process.exit(1);
    }
    // A live shim there serves this directory (two runtimes started at once): leave it to that one.
    // A dead one's socket file is only in the way.
    const probe = net.connect(socketPath);
    probe.on('connect', () => {
      probe.destroy();
      listening();
      process.exit(0);
    });
    probe.on('error', () => {
      try {
        fs.unlinkSync(socketPath);
      } catch {
        // Someone else removed it.
      }
      server.listen(socketPath, listening);
    });
  });
  fs.mkdirSync(path.dirname(socketPath), { recursive: true });
  server.listen(socketPath, listening);

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

  function runCommand(id: number, command: ShimCommand, send: (message: ShimReply) => void): void {
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
      send(message);
      live--;
      exitIfIdle();
    };
    child.on('error', (error) => answer({ id, error: error.message }));
    child.on('close', (code) => answer({ id, result: { code, stdout, stderr } }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(command.stdin);
  }

  function startContainer(id: number, spec: ShimSpec, send: (message: ShimReply) => void): void {
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
    const input = spec.input && child.stdin ? stdinServer({ fs, net }, spec.input, child.stdin) : undefined;
    let spawned = false;
    child.on('spawn', () => {
      spawned = true;
      const ready = spec.waitReady ? child.stdio[3] : null;
      if (!ready) {
        send({ id: id, pid: child.pid ?? 0 });
        return;
      }
      let told = false;
      const tell = (): void => {
        if (told) return;
        told = true;
        send({ id: id, pid: child.pid ?? 0 });
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
      send({ id: id, error: error.message });
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
(${shimMain.toString()})({ fs: require('node:fs'), net: require('node:net'), childProcess: require('node:child_process'), os: require('node:os'), path: require('node:path'), stdinServer: ${shimStdinServer.toString()} });
`;

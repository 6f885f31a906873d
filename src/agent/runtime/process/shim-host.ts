// The runtime's side of the shared container shim (container-shim.ts): finds the shim that serves
// this state directory on its unix socket, or starts one, sends it one request per container over
// that connection and resolves with the container's PID. The connection keeps the agent's event
// loop alive only while a request is pending; a shim that died (killed, or it crashed) is replaced
// by a new one on the next request.
//
// One shim per state directory, across agent restarts: a restarted agent connects to the shim its
// predecessor started (still running while it watches containers) instead of starting a second one
// next to it. The shim exits once no runtime is connected and none of its containers runs.
//
// It also runs short commands (run(): CNI plugins, `ip`) for the pod network. Spawning a process
// from the agent costs its main thread ~3-9 ms of CPU (fork copies the page tables of a process
// with hundreds of MB mapped), so pod setup's four or five execs per pod were most of the agent's
// CPU when 100 pods started at once, and held up everything else on its event loop. From the small
// shim process they cost a fraction of that, and on another core.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { MAX_SOCKET_PATH_BYTES } from './attach-session.js';
import { SHIM_SOURCE } from './container-shim.js';
import { SHIM_SOCKET_ENV, type ShimCommand, type ShimCommandResult, type ShimReply, type ShimSpec } from './shim-protocol.js';

export interface StartedShim {
  readonly shimPid: number;
  /** The container's main process; also its process group id. */
  readonly pid: number;
}

type Answer = Extract<ShimReply, { id: number }>;

interface Pending {
  readonly resolve: (answer: Answer) => void;
  readonly reject: (error: Error) => void;
}

interface Connection {
  readonly socket: Socket;
  readonly shimPid: number;
  readonly pending: Map<number, Pending>;
  closed: boolean;
}

/**
 * Where the shim of `dir` listens: `dir/name`, or, when that is longer than a unix socket path may
 * be, a name in the temp directory derived from it (the same for every runtime over `dir`).
 */
export function shimSocketPath(dir: string, name: string): string {
  const path = join(dir, name);
  if (Buffer.byteLength(path) <= MAX_SOCKET_PATH_BYTES) return path;
  return join(tmpdir(), `k8ts-${createHash('sha256').update(path).digest('hex').slice(0, 24)}.sock`);
}

export class ShimHost {
  readonly #logPath: string;
  readonly #socketPath: string;
  #connection: Promise<Connection> | undefined;
  #nextId = 1;

  /** logPath: where the shim's own stdout/stderr go; socketPath: where it listens (shimSocketPath). */
  constructor(options: { readonly logPath: string; readonly socketPath: string }) {
    this.#logPath = options.logPath;
    this.#socketPath = options.socketPath;
  }

  /** Starts the container; resolves once its command runs, rejects if it could not start. */
  async start(spec: ShimSpec): Promise<StartedShim> {
    const { shimPid, answer } = await this.#request((id) => ({ id, spec }));
    if (answer.pid === undefined) throw new Error(answer.error ?? 'the container did not start');
    return { shimPid, pid: answer.pid };
  }

  /** Runs a command to its end (from the shim process); rejects only when it could not be run. */
  async run(command: ShimCommand): Promise<ShimCommandResult> {
    const { answer } = await this.#request((id) => ({ id, command }));
    if (answer.result === undefined) throw new Error(`cannot run ${command.argv[0] ?? ''}: ${answer.error ?? 'no result'}`);
    return answer.result;
  }

  async #request(message: (id: number) => object): Promise<{ shimPid: number; answer: Answer }> {
    const connection = await this.#current();
    const id = this.#nextId++;
    const answered = new Promise<Answer>((resolve, reject) => connection.pending.set(id, { resolve, reject }));
    connection.socket.ref();
    try {
      connection.socket.write(`${JSON.stringify(message(id))}\n`);
      return { shimPid: connection.shimPid, answer: await answered };
    } finally {
      connection.pending.delete(id);
      if (connection.pending.size === 0) connection.socket.unref();
    }
  }

  /** Lets go of the shim: it exits once its containers have exited (they keep running until then). */
  close(): void {
    const connection = this.#connection;
    this.#connection = undefined;
    connection?.then((c) => c.socket.destroy(), () => undefined);
  }

  /** An open connection: the current one, or a new one (to the running shim, else to a new shim). */
  async #current(): Promise<Connection> {
    // Twice at most: a shim that was exiting (idle) as we connected closes at once; the next try starts a new one.
    for (let attempt = 0; ; attempt++) {
      this.#connection ??= this.#open();
      const opening = this.#connection;
      let connection: Connection;
      try {
        connection = await opening;
      } catch (error) {
        if (this.#connection === opening) this.#connection = undefined;
        throw error;
      }
      if (!connection.closed) return connection;
      if (this.#connection === opening) this.#connection = undefined;
      if (attempt > 0) throw new Error('the container shim closed its connection at once');
    }
  }

  async #open(): Promise<Connection> {
    try {
      return await this.#connect();
    } catch {
      // No shim serves this directory (none yet, or it exited or was killed): start one.
    }
    await this.#spawn();
    try {
      return await this.#connect();
    } catch (error) {
      throw new Error(`the container shim did not start (see ${this.#logPath}): ${(error as Error).message}`, { cause: error });
    }
  }

  /** Resolves once the shim said who it is (its first line); rejects if the connection fails first. */
  #connect(): Promise<Connection> {
    // Whoever listens there is handed every container's command line: it must be one of ours.
    const owner = lstatSync(this.#socketPath, { throwIfNoEntry: false })?.uid;
    if (owner !== undefined && owner !== process.getuid?.()) {
      return Promise.reject(new Error(`${this.#socketPath} belongs to another user (uid ${owner})`));
    }
    return new Promise((resolve, reject) => {
      const socket = connect({ path: this.#socketPath });
      const pending = new Map<number, Pending>();
      let connection: Connection | undefined;
      let buffered = '';
      socket.setEncoding('utf8');
      socket.on('data', (text: string) => {
        buffered += text;
        for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
          const message = JSON.parse(buffered.slice(0, end)) as ShimReply;
          buffered = buffered.slice(end + 1);
          if ('shimPid' in message) {
            connection = { socket, shimPid: message.shimPid, pending, closed: false };
            socket.unref();
            resolve(connection);
          } else if ('id' in message) {
            const waiter = pending.get(message.id);
            pending.delete(message.id);
            waiter?.resolve(message);
          }
        }
      });
      socket.on('error', (error) => {
        if (!connection) reject(error);
      });
      socket.on('close', () => {
        if (!connection) {
          reject(new Error('the container shim closed its connection'));
          return;
        }
        connection.closed = true;
        const error = new Error('the container shim closed its connection before it answered');
        for (const waiter of pending.values()) waiter.reject(error);
        pending.clear();
      });
    });
  }

  /** Starts a shim; resolves once it listens (or found another shim listening), i.e. closed fd 3. */
  async #spawn(): Promise<void> {
    let log: number | 'ignore' = 'ignore';
    try {
      log = openSync(this.#logPath, 'a');
    } catch {
      // No directory for it (yet): the shim's own output is only for debugging.
    }
    try {
      const child = spawn(process.execPath, ['--max-old-space-size=64', '-e', SHIM_SOURCE], {
        detached: true,
        cwd: '/',
        env: { PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin', [SHIM_SOCKET_ENV]: this.#socketPath },
        stdio: ['ignore', log, log, 'pipe'],
      });
      child.unref();
      const listening = child.stdio[3] as Readable | null;
      await new Promise<void>((resolve) => {
        // A shim that could not start at all closes the pipe too; connecting then tells why.
        child.on('error', () => resolve());
        if (!listening) {
          resolve();
          return;
        }
        listening.on('error', () => undefined);
        listening.once('close', () => resolve());
        listening.resume();
      });
    } finally {
      if (log !== 'ignore') closeSync(log);
    }
  }
}

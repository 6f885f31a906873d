// The runtime's side of the shared container shim (container-shim.ts): starts the shim on first
// use, sends it one request per container over the IPC channel and resolves with the container's
// PID. The channel keeps the agent's event loop alive only while a request is pending, and a shim
// that died (killed, or it crashed) is replaced by a new one on the next request.
//
// It also runs short commands (run(): CNI plugins, `ip`) for the pod network. Spawning a process
// from the agent costs its main thread ~3-9 ms of CPU (fork copies the page tables of a process
// with hundreds of MB mapped), so pod setup's four or five execs per pod were most of the agent's
// CPU when 100 pods started at once, and held up everything else on its event loop. From the small
// shim process they cost a fraction of that, and on another core.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { SHIM_SOURCE, type ShimCommand, type ShimCommandResult, type ShimReply, type ShimSpec } from './container-shim.js';

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

interface Shim {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly ready: Promise<void>;
  readonly pending: Map<number, Pending>;
}

export class ShimHost {
  readonly #logPath: string;
  #shim: Shim | undefined;
  #nextId = 1;

  /** logPath: where the shim's own stdout/stderr go. */
  constructor(options: { readonly logPath: string }) {
    this.#logPath = options.logPath;
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
    const shim = this.#current();
    const id = this.#nextId++;
    const answered = new Promise<Answer>((resolve, reject) => shim.pending.set(id, { resolve, reject }));
    shim.child.channel?.ref();
    try {
      await shim.ready;
      shim.child.send(message(id), (error) => {
        if (error) this.#fail(shim, id, error);
      });
      return { shimPid: shim.pid, answer: await answered };
    } finally {
      shim.pending.delete(id);
      if (shim.pending.size === 0) shim.child.channel?.unref();
    }
  }

  /** Lets go of the shim: it exits once its containers have exited (they keep running until then). */
  close(): void {
    const shim = this.#shim;
    this.#shim = undefined;
    if (shim?.child.connected === true) shim.child.disconnect();
  }

  #current(): Shim {
    if (this.#shim?.child.connected === true) return this.#shim;
    let log: number | 'ignore' = 'ignore';
    try {
      log = openSync(this.#logPath, 'a');
    } catch {
      // No directory for it (yet): the shim's own output is only for debugging.
    }
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, ['--max-old-space-size=64', '-e', SHIM_SOURCE], {
        detached: true,
        cwd: '/',
        env: { PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
        stdio: ['ignore', log, log, 'ipc'],
      });
    } finally {
      if (log !== 'ignore') closeSync(log);
    }
    const pending = new Map<number, Pending>();
    let markReady: () => void = () => undefined;
    let failReady: (error: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    // Nobody may be awaiting `ready` when the shim fails: the pending starts carry the error.
    ready.catch(() => undefined);
    const shim: Shim = { child, pid: child.pid ?? 0, ready, pending };
    child.on('message', (message: ShimReply) => {
      if ('ready' in message) {
        markReady();
        return;
      }
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      waiter?.resolve(message);
    });
    const gone = (why: string): void => {
      if (this.#shim === shim) this.#shim = undefined;
      const error = new Error(`the container shim ${why} before it answered`);
      failReady(error);
      for (const id of [...pending.keys()]) this.#fail(shim, id, error);
    };
    child.on('error', (error) => gone(`could not start (${error.message})`));
    child.on('exit', (code) => gone(`exited (${code ?? 'signal'})`));
    child.on('disconnect', () => gone('closed its channel'));
    child.unref();
    child.channel?.unref();
    this.#shim = shim;
    return shim;
  }

  #fail(shim: Shim, id: number, error: Error): void {
    const waiter = shim.pending.get(id);
    shim.pending.delete(id);
    waiter?.reject(error);
  }
}

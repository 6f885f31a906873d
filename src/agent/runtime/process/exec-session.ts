// An interactive exec of a host command (kubectl exec / cp against the process runtime).
//
// Without a TTY the command runs with plain pipes. With a TTY there is no pty binding in Node, so
// the command runs under util-linux `script -qfec '<cmd>' /dev/null`, which allocates a pty,
// copies its stdin into the pty master and the pty output to its stdout, passes the exit code on
// (-e) and, when its stdin ends, sends the terminal's EOF character (so `echo hi | exec -it cat`
// ends). The slave keeps ECHO on, as a container's terminal does under kubectl's raw local tty.
// Resize: the pty master belongs to `script`, so the window size is set on the slave side with
// `stty -F /dev/pts/N rows R cols C`, the slave found through script's child's stdin; the kernel
// then sends SIGWINCH to the foreground job as with a real terminal.
//
// The process runtime enters the container's namespaces with `nsenter ... -- <command>`; when the
// command does not exist nsenter says so on stderr and exits 127. That failure is turned into a
// rejected `exit` carrying runc's wording (`exec: "x": executable file not found in $PATH`), so the
// user sees what a containerd node would print.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, readlink } from 'node:fs/promises';
import { constants } from 'node:os';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { ExecSession } from '../runtime.js';
import { ExecStartError } from '../exec-start-error.js';

export interface ExecSessionOptions {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly stdin: boolean;
  readonly stderr: boolean;
  readonly tty: boolean;
}

/** How long a resize waits for the pty to exist (the command may still be starting). */
const PTY_WAIT_MS = 2000;
const PTY_POLL_MS = 20;
const NSENTER_PREFIX = 'nsenter: failed to execute ';
const NSENTER_EXEC_FAILED = /^nsenter: failed to execute (.*): No such file or directory\n$/;

export function startExecSession(options: ExecSessionOptions): Promise<ExecSession> {
  const [file, ...args] = options.argv;
  if (file === undefined || file === '') return Promise.reject(new ExecStartError('no command specified'));
  const child = options.tty
    ? spawn('script', ['-qfec', shellCommand(options.argv), '/dev/null'], {
      cwd: options.cwd,
      // containerd sets TERM=xterm for a TTY exec unless the container defines it.
      env: { TERM: 'xterm', ...options.env },
      detached: true,
      stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'ignore'],
    })
    : spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', options.stderr ? 'pipe' : 'ignore'],
    });
  return new Promise<ExecSession>((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? new ExecStartError(notFoundMessage(options.tty ? 'script' : file), { cause: error }) : error);
    });
    child.once('spawn', () => resolve(new ProcessExecSession(child, options)));
  });
}

class ProcessExecSession implements ExecSession {
  readonly stdin?: Writable;
  readonly stdout: Readable;
  readonly stderr?: Readable;
  readonly exit: Promise<number>;
  readonly #child: ChildProcess;
  readonly #pty: PtyResizer | undefined;
  #closed = false;

  constructor(child: ChildProcess, options: ExecSessionOptions) {
    this.#child = child;
    this.#pty = options.tty && child.pid !== undefined ? new PtyResizer(child.pid) : undefined;
    if (child.stdin) {
      // EPIPE when the command exits without reading its input is normal, not a crash.
      child.stdin.on('error', () => undefined);
      this.stdin = child.stdin;
    }
    this.stdout = child.stdout as Readable;
    const nsenter = options.argv[0] === 'nsenter';
    const held = nsenter && child.stderr ? holdNsenterFailure(child.stderr) : undefined;
    if (held) this.stderr = held.stream;
    else if (child.stderr) this.stderr = child.stderr;
    this.exit = new Promise<number>((resolve, reject) => {
      child.once('close', (code, signal) => {
        const exitCode = code ?? 128 + signalNumber(signal);
        const missing = held?.finish(exitCode);
        if (missing !== undefined) reject(new ExecStartError(notFoundMessage(missing)));
        else resolve(exitCode);
      });
    });
    // Nobody may await exit before the route does; keep an unobserved rejection from crashing us.
    this.exit.catch(() => undefined);
  }

  resize(width: number, height: number): void {
    this.#pty?.resize(width, height);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pty?.close();
    const pid = this.#child.pid;
    if (pid === undefined || this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    try {
      // detached: the command leads its own process group; end all of it (shells, pipelines).
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/**
 * Resizes the terminal `script` (pid) allocated: its pty slave is the stdin of script's child (the
 * command, or a container's main process under script). Requests are coalesced: the newest size
 * wins while an `stty` runs.
 */
export class PtyResizer {
  readonly #pid: number;
  #closed = false;
  #wantedSize: { width: number; height: number } | undefined;
  #resizing = false;

  constructor(pid: number) {
    this.#pid = pid;
  }

  resize(width: number, height: number): void {
    // kubectl under a non-terminal sends 0x0 first; a zero size means "unknown", not "shrink".
    if (width <= 0 || height <= 0 || this.#closed) return;
    this.#wantedSize = { width, height };
    if (this.#resizing) return;
    this.#resizing = true;
    this.#applySize().finally(() => {
      this.#resizing = false;
    }).catch(() => undefined);
  }

  close(): void {
    this.#closed = true;
  }

  /** Applies the newest requested size until no newer one is pending. */
  async #applySize(): Promise<void> {
    const pts = await this.#findPty();
    if (pts === undefined) return;
    for (let size = this.#wantedSize; size !== undefined; size = this.#wantedSize) {
      this.#wantedSize = undefined;
      await run('stty', ['-F', pts, 'rows', String(size.height), 'cols', String(size.width)]);
    }
  }

  /** The slave side of script's pty: the stdin of script's child. */
  async #findPty(): Promise<string | undefined> {
    const pid = this.#pid;
    for (let waited = 0; waited < PTY_WAIT_MS && !this.#closed; waited += PTY_POLL_MS) {
      try {
        const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim().split(/\s+/);
        const first = children[0];
        if (first !== undefined && first !== '') {
          const target = await readlink(`/proc/${first}/fd/0`);
          if (target.startsWith('/dev/pts/')) return target;
        }
      } catch {
        // Not forked yet, or already gone.
      }
      await new Promise((resolve) => setTimeout(resolve, PTY_POLL_MS));
    }
    return undefined;
  }
}

/**
 * Passes stderr through, except a first line that is nsenter's "failed to execute" message: that
 * is held until exit and either swallowed (exit 127: reported as a start failure) or released.
 * nsenter writes the line in several write() calls, so it may arrive in pieces.
 */
function holdNsenterFailure(source: Readable): { stream: Readable; finish(exitCode: number): string | undefined } {
  const out = new PassThrough();
  let held: Buffer | undefined = Buffer.alloc(0);
  const release = (): void => {
    if (held !== undefined && held.length > 0) out.write(held);
    held = undefined;
  };
  source.on('data', (chunk: Buffer) => {
    if (held !== undefined) {
      held = Buffer.concat([held, chunk]);
      const text = held.toString('utf8');
      const complete = text.indexOf('\n');
      const stillPossible = complete === -1
        ? NSENTER_PREFIX.startsWith(text) || text.startsWith(NSENTER_PREFIX)
        : complete === text.length - 1 && NSENTER_EXEC_FAILED.test(text);
      if (stillPossible) return;
      release();
      return;
    }
    if (!out.write(chunk)) {
      source.pause();
      out.once('drain', () => source.resume());
    }
  });
  source.once('end', () => {
    if (held === undefined) out.end();
  });
  return {
    stream: out,
    finish(exitCode) {
      if (held === undefined) return undefined;
      const match = NSENTER_EXEC_FAILED.exec(held.toString('utf8'));
      if (exitCode === 127 && match?.[1] !== undefined) {
        held = undefined;
        out.end();
        return match[1];
      }
      release();
      out.end();
      return undefined;
    },
  };
}

function notFoundMessage(file: string): string {
  return file.includes('/')
    ? `exec: "${file}": stat ${file}: no such file or directory`
    : `exec: "${file}": executable file not found in $PATH`;
}

/** argv as one POSIX shell command line, every word single-quoted. */
export function shellCommand(argv: readonly string[]): string {
  return 'exec ' + argv.map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(' ');
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal === null ? 0 : constants.signals[signal];
}

function run(file: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: 'ignore' });
    child.once('error', () => resolve());
    child.once('close', () => resolve());
  });
}

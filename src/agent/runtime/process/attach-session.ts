// kubectl attach -i against the process runtime: a connection to the unix socket through which the
// container shim feeds the container's stdin pipe (container-shim.ts). What the session writes goes
// to the process; ending it is the client's stdin EOF, which the shim turns into a detach or, for a
// stdinOnce container without a TTY, the process's EOF (a terminal's user ends the shell with ^D). The shim closes the socket when the container has exited
// (after its exit code and log are written), so `exit` resolving means "attach over". Output is not
// carried here: the caller follows the log file, as for an output-only attach.
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExecSession } from '../runtime.js';
import { ATTACH_CLOSES_STDIN, ATTACH_DETACHES } from './shim-protocol.js';
import { PtyResizer } from './exec-session.js';

/** The socket's name in the container's state directory. */
export const ATTACH_SOCKET = 'attach.sock';
/** sun_path holds 108 bytes with the terminating NUL. */
export const MAX_SOCKET_PATH_BYTES = 107;
/** The shim listens right after the command started; a very early attach waits this long for it. */
const CONNECT_WAIT_MS = 2000;
const CONNECT_RETRY_MS = 25;

export interface AttachSessionOptions {
  /** The shim's socket; absent: the container keeps no stdin, what the client sends is dropped. */
  readonly socketPath?: string;
  /** The client asked for stdin. */
  readonly stdin: boolean;
  /** The session's end closes the container's stdin (stdinOnce, attached without a TTY). */
  readonly closesStdin: boolean;
  /** The container's main process when it runs under `script` (a TTY): resizes go to its pty. */
  readonly ttyPid?: number;
}

function connectOnce(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    // Not half-open: the shim's end (the container exited, or a detach) closes the session.
    const socket = connect({ path, allowHalfOpen: false });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

async function connectShim(path: string): Promise<Socket> {
  for (let waited = 0; ; waited += CONNECT_RETRY_MS) {
    try {
      return await connectOnce(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ECONNREFUSED') || waited >= CONNECT_WAIT_MS) {
        throw new Error(`cannot attach to the container's stdin: ${(error as Error).message}`, { cause: error });
      }
      await sleep(CONNECT_RETRY_MS);
    }
  }
}

export async function startAttachSession(options: AttachSessionOptions): Promise<ExecSession> {
  const pty = options.ttyPid !== undefined ? new PtyResizer(options.ttyPid) : undefined;
  const socket = options.stdin && options.socketPath !== undefined ? await connectShim(options.socketPath) : undefined;
  socket?.write(Buffer.of(options.closesStdin ? ATTACH_CLOSES_STDIN : ATTACH_DETACHES));
  let closeNow: () => void = () => undefined;
  const exit = new Promise<number>((resolve) => {
    closeNow = () => resolve(0);
    // The shim sends nothing; reading keeps the socket's end (and close) observable.
    socket?.resume();
    socket?.once('close', () => resolve(0));
  });
  socket?.on('error', () => undefined);
  return {
    ...(socket ? { stdin: socket } : {}),
    resize(width, height) {
      pty?.resize(width, height);
    },
    exit,
    close() {
      pty?.close();
      // Closing the socket is the end of this session's stdin for the shim.
      socket?.destroy();
      closeNow();
    },
  };
}

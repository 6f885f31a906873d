// A container's stdin in the shim (container-shim.ts): a container with `stdin: true` (or a TTY)
// gets a pipe as its stdin, held by the shim for the container's life as containerd's shim holds
// its stdin FIFO, so the process does not see EOF while nobody is attached. kubectl attach -i
// reaches it through a unix socket in the container's state directory (the agent may restart
// meanwhile; the socket stays): a session's first byte says what its end means
// (ATTACH_CLOSES_STDIN: close the pipe, the process's EOF, which containerd does for a stdinOnce
// container without a TTY; ATTACH_DETACHES: only detach), the rest is written to the pipe. Nothing
// is sent back: attach output is read from the log file like `kubectl logs -f`.
import type * as Fs from 'node:fs';
import type * as Net from 'node:net';
import type { ShimInput } from './shim-protocol.js';

export interface StdinServerDeps {
  readonly fs: typeof Fs;
  readonly net: typeof Net;
}

export interface StdinServer {
  close(): void;
}

/**
 * Serves attach sessions for a container's stdin pipe; close() when the container is gone. Runs in
 * the shim process: self-contained like shimMain (its text is put into the shim's source).
 */
export function shimStdinServer(deps: StdinServerDeps, input: ShimInput, stdin: NodeJS.WritableStream): StdinServer {
  const { fs, net } = deps;
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

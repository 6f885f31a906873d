// Output for an attach whose runtime carries only stdin (the process runtime): the container's CRI
// log file followed from the moment of the attach, stdout and stderr merged in order (as a TTY or
// `kubectl logs` shows them), put in front of the runtime's session as its output stream.
//
// The follow starts before the runtime's session does and knows the file's end first (the reader's
// first isRunning() call comes right after its initial read), so whatever the first stdin bytes
// cause is after that point: no clock is compared, nothing is missed or replayed.
//
// When it ends: the container exited (the follow ends once the file is drained), or the runtime's
// session ended while the container still runs (the client's stdin EOF detached it: one last read
// of the file, then the end), or the client left (close(): cut at once).
import { PassThrough, type Readable } from 'node:stream';
import { once } from 'node:events';
import { readCriLog } from '../logs/cri-log-reader.js';
import type { LogTarget } from '../logs/log-server.js';
import type { ExecSession } from '../runtime/runtime.js';

export interface LogOutput {
  /** The runtime's session with this output in front of it (stdout, or stderr when asStderr). */
  wrap(session: ExecSession, asStderr: boolean): ExecSession;
  /** Not needed after all (the session could not start): stops following. */
  cancel(): void;
}

/** Starts following `log` at its current end; resolves once that end is known. */
export async function followLogOutput(log: LogTarget, pollMs: number): Promise<LogOutput> {
  const cut = new AbortController();
  let detached = false;
  let positioned: () => void = () => undefined;
  const atEnd = new Promise<void>((resolve) => (positioned = resolve));
  const containerRuns = log.isRunning ?? (() => false);
  const lines = readCriLog(log.logPath, { follow: true, tailLines: 0 }, {
    isRunning: async () => {
      positioned();
      // After a detach the follow reads what is there once more and ends.
      return !detached && (await containerRuns());
    },
    signal: cut.signal,
    pollMs,
  });
  const output = new PassThrough();
  const copied = (async () => {
    for await (const text of lines) {
      if (!output.write(text)) await once(output, 'drain', { signal: cut.signal });
    }
  })().catch(() => undefined).finally(() => {
    positioned();
    output.end();
  });
  await atEnd;
  const outputDone = new Promise<void>((resolve) => {
    output.once('end', resolve);
    output.once('close', resolve);
  });
  return {
    wrap(session, asStderr) {
      const exit = (async () => {
        const sessionEnded = await Promise.race([session.exit.then(() => true, () => true), copied.then(() => false)]);
        if (sessionEnded) detached = true;
        await outputDone;
        session.close();
        return 0;
      })();
      const stream: Readable = output;
      return {
        ...(session.stdin ? { stdin: session.stdin } : {}),
        ...(asStderr ? { stderr: stream } : { stdout: stream }),
        resize: (width, height) => session.resize(width, height),
        exit,
        close() {
          cut.abort();
          session.close();
        },
      };
    },
    cancel() {
      cut.abort();
      output.resume();
    },
  };
}

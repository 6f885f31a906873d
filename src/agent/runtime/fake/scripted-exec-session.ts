// An ExecSession that replays a fixed result: the hollow runtime's exec, so the agent's streaming
// path (kubectl exec through the API server) is testable without processes.
import { PassThrough, Readable } from 'node:stream';
import type { ExecRequest, ExecResult, ExecSession } from '../runtime.js';

export function scriptedExecSession(request: ExecRequest, result: ExecResult): ExecSession {
  const stdout = request.stdout ? Readable.from([Buffer.from(result.stdout + (request.tty ? result.stderr : ''))]) : undefined;
  const stderr = request.stderr && !request.tty ? Readable.from([Buffer.from(result.stderr)]) : undefined;
  // Input is accepted and dropped: the scripted answer does not depend on it.
  const stdin = request.stdin ? new PassThrough() : undefined;
  stdin?.resume();
  return {
    ...(stdin ? { stdin } : {}),
    ...(stdout ? { stdout } : {}),
    ...(stderr ? { stderr } : {}),
    resize: () => undefined,
    exit: Promise.resolve(result.exitCode),
    close: () => undefined,
  };
}

// Runs one command to completion with captured output and a deadline (exec probes). A command that
// outlives its timeout is killed with its whole process group and reported as ExecTimeoutError,
// which the prober counts as a failure (upstream: "command timed out").
import { spawn } from 'node:child_process';
import type { ExecResult } from '../runtime.js';
import { ExecTimeoutError } from '../exec-timeout-error.js';

/** Output beyond this is dropped (an exec probe's output only feeds an Event message). */
const MAX_OUTPUT_BYTES = 1024 * 1024;

export function runExec(options: {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly timeoutMs: number;
}): Promise<ExecResult> {
  const [file = '', ...args] = options.argv;
  return new Promise<ExecResult>((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      if (outBytes < MAX_OUTPUT_BYTES) out.push(chunk);
      outBytes += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (errBytes < MAX_OUTPUT_BYTES) err.push(chunk);
      errBytes += chunk.length;
    });
    let timedOut = false;
    const timer = options.timeoutMs > 0
      ? setTimeout(() => {
        timedOut = true;
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }, options.timeoutMs)
      : undefined;
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(new ExecTimeoutError(`command timed out after ${options.timeoutMs / 1000}s`));
        return;
      }
      resolve({
        exitCode: code ?? 128 + (signal === 'SIGKILL' ? 9 : 15),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

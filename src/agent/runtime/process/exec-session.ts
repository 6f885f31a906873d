// PLACEHOLDER (being written by the streaming helper): an interactive exec of a host command.
import type { ExecSession } from '../runtime.js';

export interface ExecSessionOptions {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly stdin: boolean;
  readonly stderr: boolean;
  readonly tty: boolean;
}

export function startExecSession(_options: ExecSessionOptions): Promise<ExecSession> {
  return Promise.reject(new Error('exec is not implemented yet for the process runtime'));
}

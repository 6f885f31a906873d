// execSync's deadline passed: the command was killed. Exec probes count this as a failure.
export class ExecTimeoutError extends Error {
  readonly code = 'ExecTimeout';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExecTimeoutError';
  }
}

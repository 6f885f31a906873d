// The Status objects an exec ends with, written on the error channel (3) as kubelet writes them
// (metav1.Status without kind/apiVersion). kubectl reads them with client-go's v4 error decoder:
// Success → exit 0; Failure with reason NonZeroExitCode → its `ExitCode` cause is kubectl's own
// exit code (`command terminated with exit code N`); any other Failure → `error: <message>`, exit 1.

export interface ExecStatusCause {
  readonly reason?: string;
  readonly message: string;
}

export interface ExecStatus {
  readonly metadata: Record<string, never>;
  readonly status: 'Success' | 'Failure';
  readonly message?: string;
  readonly reason?: string;
  readonly details?: { readonly causes: readonly ExecStatusCause[] };
  readonly code?: number;
}

export function successStatus(): ExecStatus {
  return { metadata: {}, status: 'Success' };
}

/** What a command that ran and exited with `exitCode` (> 0) reports. */
export function exitCodeStatus(exitCode: number): ExecStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: exit status ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** The end of any exec: success for 0, else the exit code status. */
export function exitStatus(exitCode: number): ExecStatus {
  return exitCode === 0 ? successStatus() : exitCodeStatus(exitCode);
}

/**
 * A command that could not be run (no such executable, container gone): kubelet wraps the
 * runtime's error as an internal error, which kubectl prints as
 * `error: Internal error occurred: error executing command in container: <runtime message>`.
 */
export function execErrorStatus(runtimeMessage: string): ExecStatus {
  const message = `error executing command in container: ${runtimeMessage}`;
  return {
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: { causes: [{ message }] },
    code: 500,
  };
}

/** The addressed pod or container is not (or no longer) running on this node. */
export function notFoundStatus(message: string): ExecStatus {
  return { metadata: {}, status: 'Failure', message, reason: 'NotFound', code: 404 };
}

// An exec (kubectl exec) whose command could not be started in the container: no such
// executable, not a regular file, ... The message is the runtime's own wording (runc's
// `exec: "x": executable file not found in $PATH`), which the exec route passes to the user.
export class ExecStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExecStartError';
  }
}

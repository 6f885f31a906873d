// The reason CRI runtimes report for an exited container (containerd: `Completed` for exit code 0,
// `Error` otherwise; `OOMKilled` only where a memory cgroup says so, which host processes lack).
export function reasonForExitCode(exitCode: number): string {
  return exitCode === 0 ? 'Completed' : 'Error';
}

// How host commands (iptables, sysctl, ip) are run: through a CommandRunner, so integration tests can run
// everything inside a private network namespace (`ip netns exec NS ...`) and leave the host's
// tables alone.
import { spawn } from 'node:child_process';

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CommandRunner {
  run(command: string, args: readonly string[], input?: string): Promise<CommandResult>;
}

/** Runs commands directly, or inside `netns` (a name under /run/netns) when given. */
export function execRunner(options: { readonly netns?: string } = {}): CommandRunner {
  return {
    run(command, args, input) {
      const argv = options.netns === undefined ? [command, ...args] : ['ip', 'netns', 'exec', options.netns, command, ...args];
      return new Promise((resolve, reject) => {
        const child = spawn(argv[0] ?? command, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        child.once('error', reject);
        child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
        child.stdin.on('error', () => undefined);
        child.stdin.end(input ?? '');
      });
    },
  };
}

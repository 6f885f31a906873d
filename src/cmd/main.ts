// The `k8ts` command: dispatches to subcommands. The only place that reads process.argv.
import { runAgentCommand } from './agent-command.js';
import { runRolloutCliCommand } from './rollout-command.js';
import { runServerCommand } from './server-command.js';

const USAGE = `Usage: k8ts <command> [flags]

Commands:
  server    start the API server, controllers, scheduler and a node agent (k8ts server --help)
  agent     run a node agent that joins a server (k8ts agent --help)
  rollout   manage Argo Rollouts-compatible Rollouts: get, promote, abort, retry, undo, pause, restart, why

Flags:
  -h, --help    show this help
`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const io = { env: process.env, stdout: process.stdout, stderr: process.stderr };
  switch (command) {
    case 'server':
      return runServerCommand(rest, io);
    case 'agent':
      return runAgentCommand(rest, io);
    case 'rollout':
      return runRolloutCliCommand(rest, io);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`k8ts: unknown command ${JSON.stringify(command)}\nRun 'k8ts --help' for usage.\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`k8ts: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

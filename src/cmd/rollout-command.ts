// `k8ts rollout ...`: the Argo Rollouts kubectl plugin's everyday commands, against any cluster a
// kubeconfig names. Parses flags, connects (src/cmd/rollout-connection.ts) and hands over to
// src/cli/rollout/. Exit codes: 0 done, 1 the API said no (not found, invalid...), 2 bad usage.
import { HttpClientSet } from '../client/http/http-client-set.js';
import { runRolloutCommand } from '../cli/rollout/run-rollout-command.js';
import { systemClock } from '../lib/clock.js';
import { UnavailableError } from '../lib/errors.js';
import { resolveRolloutConnection, type RolloutConnection } from './rollout-connection.js';
import { parseRolloutFlags, ROLLOUT_USAGE, type RolloutFlags } from './rollout-flags.js';
import type { CommandIo } from './server-command.js';
import { waitForSignal } from './signals.js';
import { UsageError } from './usage-error.js';

function isTerminal(stream: NodeJS.WritableStream, env: CommandIo['env']): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true && env['TERM'] !== 'dumb';
}

function describeError(error: unknown, connection: RolloutConnection): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = (error as { code?: unknown }).code ?? cause?.code;
  if (error instanceof UnavailableError || code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ECONNRESET') {
    return `cannot reach the API server at ${connection.client.server} (kubeconfig ${connection.kubeconfig}): ${message}`;
  }
  return message;
}

export async function runRolloutCliCommand(args: readonly string[], io: CommandIo): Promise<number> {
  let flags: RolloutFlags | undefined;
  let connection: RolloutConnection;
  try {
    flags = parseRolloutFlags(args);
    if (!flags) {
      io.stdout.write(ROLLOUT_USAGE);
      return args.length === 0 ? 2 : 0;
    }
    connection = resolveRolloutConnection(flags, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`k8ts rollout: ${error.message}\nRun 'k8ts rollout --help' for usage.\n`);
    return 2;
  }
  const clients = new HttpClientSet(connection.client);
  const stop = new AbortController();
  void waitForSignal().then(() => stop.abort());
  const signal = flags.timeoutSeconds > 0 ? AbortSignal.any([stop.signal, AbortSignal.timeout(flags.timeoutSeconds * 1000)]) : stop.signal;
  try {
    await runRolloutCommand(
      { ...flags, namespace: connection.namespace },
      { clients, clock: systemClock, write: (text) => io.stdout.write(text), terminal: isTerminal(io.stdout, io.env), signal },
    );
    return 0;
  } catch (error) {
    io.stderr.write(`Error: ${describeError(error, connection)}\n`);
    return 1;
  } finally {
    clients.close();
  }
}

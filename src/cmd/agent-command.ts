// `k8ts agent`: a node agent on its own, talking to a remote API server over HTTPS. SIGTERM stops
// the agent and leaves its containers running for the next agent to re-adopt (as the kubelet
// does), unless --stop-pods-on-exit.
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ensurePki } from '../apiserver/tls/pki.js';
import { HttpClientSet } from '../client/http/http-client-set.js';
import { systemClock } from '../lib/clock.js';
import { createLogger } from '../lib/logger.js';
import { AGENT_USAGE, parseAgentFlags, type AgentFlags } from './agent-flags.js';
import { startNodeAgent } from './node-agent-host.js';
import type { CommandIo } from './server-command.js';
import { waitForSignal } from './signals.js';
import { StartupError, UsageError } from './usage-error.js';

export async function runAgentCommand(args: readonly string[], io: CommandIo): Promise<number> {
  let flags: AgentFlags | undefined;
  try {
    flags = parseAgentFlags(args, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`k8ts agent: ${error.message}\nRun 'k8ts agent --help' for usage.\n`);
    return 2;
  }
  if (!flags) {
    io.stdout.write(AGENT_USAGE);
    return 0;
  }
  const logger = createLogger({ level: flags.logLevel });
  const signal = waitForSignal();
  const clients = new HttpClientSet({
    server: flags.server,
    token: flags.token,
    ...(flags.ca !== undefined ? { ca: flags.ca } : {}),
    insecureSkipTlsVerify: flags.insecureSkipTlsVerify,
    userAgent: `k8ts-agent/${flags.node.nodeName}`,
    // Recorded in managedFields as upstream's node agent is.
    fieldManager: 'kubelet',
  });
  let running;
  try {
    await mkdir(flags.dataDir, { recursive: true, mode: 0o700 });
    // The log server's own certificate (the API server does not verify agents, as upstream
    // without a kubelet CA).
    const hosts = [hostname(), flags.node.nodeName, ...(flags.address !== '0.0.0.0' ? [flags.address] : [])];
    const pki = await ensurePki({ dir: join(flags.dataDir, 'pki'), hosts, clock: systemClock });
    running = await startNodeAgent({
      clients, flags: flags.node, dataDir: flags.dataDir, clock: systemClock, logger,
      token: flags.token, tls: { key: pki.key, cert: pki.cert }, address: flags.address, port: flags.port,
    });
  } catch (error) {
    const message = error instanceof StartupError ? error.message : `unexpected error while starting: ${(error as Error).message}`;
    io.stderr.write(`k8ts agent: ${message}\n`);
    clients.close();
    return 1;
  }
  logger.info({ server: flags.server, node: flags.node.nodeName, logPort: running.logPort, dataDir: flags.dataDir }, 'k8ts agent is running');
  const received = await signal;
  logger.info({ signal: received }, 'shutting down');
  void waitForSignal().then(() => process.exit(1));
  await running.stop();
  clients.close();
  logger.info('stopped');
  return 0;
}

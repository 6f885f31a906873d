// A `k8ts agent` as its own process (from source, fake runtime by default) joined to a server
// started by startServer: the multi-node e2e suites (node failure, drain) run several of these.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RunningServer } from './k8ts-server.js';

const repoRoot = resolve(import.meta.dirname, '../..');

export interface AgentProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** Everything the agent printed so far (stdout and stderr), for failure messages. */
  output(): string;
}

export interface AgentProcessOptions {
  readonly server: RunningServer;
  /** Parent directory; the agent's data dir is `<dataDir>/<name>`. */
  readonly dataDir: string;
  readonly name: string;
  /** Appended after the defaults, so a later flag (e.g. `--runtime process`) wins. */
  readonly extraArgs?: readonly string[];
}

export function startAgentProcess(options: AgentProcessOptions): AgentProcess {
  const { server, name } = options;
  const child = spawn(
    process.execPath,
    [
      '--import', 'tsx', join(repoRoot, 'src/cmd/main.ts'), 'agent',
      '--server', server.url, '--token', server.token, '--ca-file', join(server.dataDir, 'pki/ca.crt'),
      '--data-dir', join(options.dataDir, name), '--runtime', 'fake', '--proxy-mode', 'none', '--node-name', name,
      '--address', '127.0.0.1', '--port', '0', '--stop-pods-on-exit',
      ...(options.extraArgs ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, K8TS_LOG_LEVEL: process.env.K8TS_LOG_LEVEL ?? 'warn' } },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { name, child, exited, output: () => output };
}

/** SIGTERMs every agent still running and waits for all of them to exit. */
export async function stopAgentProcesses(agents: readonly AgentProcess[]): Promise<void> {
  for (const agent of agents) if (agent.child.exitCode === null) agent.child.kill('SIGTERM');
  await Promise.all(agents.map((agent) => agent.exited));
}

/**
 * A multi-agent suite's teardown: the agents first (they talk to the server), then the server,
 * whose data dir and the agents' `agentDir` are removed. The server must exit 0 on SIGTERM.
 */
export async function stopAgentsAndServer(agents: readonly AgentProcess[], server: RunningServer, agentDir: string): Promise<void> {
  await stopAgentProcesses(agents);
  const code = await server.stop();
  await server.cleanup();
  await rm(agentDir, { recursive: true, force: true });
  assert.equal(code, 0, `server should exit 0 on SIGTERM:\n${server.output().slice(-4000)}`);
}

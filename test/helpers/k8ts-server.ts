// Starts a real `k8ts server` child process for e2e tests and waits until it has written its
// kubeconfig (the server writes it only once it serves). Uses the built CLI when `npm run build`
// has run (as `npm test` does), else runs the TypeScript source through tsx.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from './free-port.js';
import { reservePodNetworkOctet } from './pod-network-octet.js';

const repoRoot = resolve(import.meta.dirname, '../..');

export interface ServerOptions {
  /** `sqlite` (default), `memory`, or an `etcd://host:port` URL. */
  readonly store?: string;
  /** Reuse a data dir (restart scenarios); a fresh temp dir otherwise. */
  readonly dataDir?: string;
  readonly port?: number;
  readonly extraArgs?: readonly string[];
  /**
   * Run the controllers, scheduler and embedded node agent too (with --stop-pods-on-exit, so no
   * pod process outlives the test). Default false: the API server alone (--no-controllers
   * --no-agent), which is what the API-level suites expect.
   */
  readonly workloads?: boolean;
  /** With workloads: let the agent leave containers running on SIGTERM (re-adoption tests). */
  readonly keepPodsOnExit?: boolean;
  /** Without workloads: run the controller manager and scheduler anyway (--no-agent only). */
  readonly controllers?: boolean;
}

export interface RunningServer {
  readonly dataDir: string;
  readonly port: number;
  readonly url: string;
  readonly kubeconfig: string;
  readonly token: string;
  readonly process: ChildProcess;
  /** Everything the server printed so far (stdout + stderr). */
  output(): string;
  /** SIGTERM and wait for exit; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (no chance to clean up) and wait for exit. */
  kill(): Promise<void>;
  /** Removes the data dir (only if this helper created it). */
  cleanup(): Promise<void>;
}

/**
 * A bridge and pod CIDR of this server's own: suites run in parallel, and two agents on one bridge
 * and range would hand out the same pod IPs (each keeps its own IPAM state) and delete each
 * other's bridge. 10.88.2-254.0/24, reserved machine-wide (pod-network-octet.ts).
 * The same octet names its cluster DNS address, 169.254.53.<octet>.
 * A server restarted on the same data dir gets the same bridge back (kept in the data dir), as a
 * restarted agent on a real node would: its re-adopted pods live on that bridge.
 */
async function podNetworkArgs(dataDir: string): Promise<string[]> {
  const remembered = join(dataDir, 'e2e-pod-network-octet');
  const kept = Number(await readFile(remembered, 'utf8').catch(() => ''));
  const octet = await reservePodNetworkOctet(Number.isInteger(kept) && kept >= 2 && kept <= 254 ? kept : undefined);
  await mkdir(dataDir, { recursive: true });
  await writeFile(remembered, String(octet));
  // Cluster DNS on an address of the server's own too: two agents on one address would have the
  // first one answer the other's pods from its own cluster's Services.
  return ['--pod-bridge', `k8ts${octet}`, '--pod-cidr', `10.88.${octet}.0/24`, '--cluster-dns', `169.254.53.${octet}`];
}

function serverCommand(): { command: string; args: string[] } {
  const built = join(repoRoot, 'dist/cmd/main.js');
  if (existsSync(built) && process.env.K8TS_FROM_SOURCE !== '1') {
    return { command: process.execPath, args: [join(repoRoot, 'bin/k8ts.js')] };
  }
  return { command: process.execPath, args: ['--import', 'tsx', join(repoRoot, 'src/cmd/main.ts')] };
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  // A port found free can be taken by another process before the server binds it; with a port
  // of its own choosing the harness retries on a fresh one instead of failing the suite.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServerOnce(options);
    } catch (error) {
      if (!(error instanceof PortTakenError) || options.port !== undefined || attempt === 5) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function startServerOnce(options: ServerOptions): Promise<RunningServer> {
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'k8ts-e2e-')));
  const port = options.port ?? (await freePort());
  const kubeconfig = join(dataDir, 'kubeconfig');
  const { command, args } = serverCommand();
  const child = spawn(
    command,
    [
      ...args, 'server', '--data-dir', dataDir, '--port', String(port), '--store', options.store ?? 'sqlite',
      ...(options.workloads === true
        // No service proxy unless a suite asks for it (extraArgs `--proxy-mode iptables`): suites run
        // in parallel and would otherwise all program the host's iptables under one node name.
        ? ['--runtime', 'process', '--proxy-mode', 'none', ...(await podNetworkArgs(dataDir)), ...(options.keepPodsOnExit === true ? [] : ['--stop-pods-on-exit'])]
        : [...(options.controllers === true ? [] : ['--no-controllers']), '--no-agent']),
      ...(options.extraArgs ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, K8TS_LOG_LEVEL: process.env.K8TS_LOG_LEVEL ?? 'warn' } },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));

  // A restart reuses the data dir, whose kubeconfig already exists: wait for the new process to
  // say it is ready (it prints the export line after writing the kubeconfig). Generous: at load 25
  // on 2 cores node alone took 20 s to load the CLI, and one start from source missed 60 s.
  const deadline = Date.now() + 120_000;
  while (!output.includes('export KUBECONFIG=')) {
    if (child.exitCode !== null) {
      const message = `k8ts server exited with ${child.exitCode} before it was ready:\n${output}`;
      if (ownsDir) await rm(dataDir, { recursive: true, force: true });
      throw output.includes(`port ${port} on 127.0.0.1 is already in use`) ? new PortTakenError(message) : new Error(message);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`k8ts server did not become ready in 120 s:\n${output}`);
    }
    await delay(50);
  }
  const config = await readFile(kubeconfig, 'utf8');
  const token = /token:\s*(\S+)/.exec(config)?.[1] ?? '';

  return {
    dataDir,
    port,
    url: `https://127.0.0.1:${port}`,
    kubeconfig,
    token,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
    async cleanup() {
      if (ownsDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

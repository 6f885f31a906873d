// Starts a private single-member etcd on loopback for tests: free client and peer ports, a temp
// data dir removed on stop. Uses the Debian `etcd` binary (package etcd-server).
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { freePort } from './free-port.js';

export const ETCD_BINARY = '/usr/bin/etcd';

export interface RunningEtcd {
  /** Client URL, e.g. http://127.0.0.1:41234 */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Undefined when etcd can be started; otherwise why a test should skip. In CI a missing etcd is
 * a broken machine, not a reason to skip, so this throws there.
 */
export function etcdSkipReason(): string | undefined {
  try {
    accessSync(ETCD_BINARY, constants.X_OK);
    return undefined;
  } catch {
    if (process.env.CI === 'true') {
      throw new Error('etcd not found: install the Debian package etcd-server (.ci/run does)');
    }
    return `etcd not found at ${ETCD_BINARY}: install the Debian package etcd-server to run these tests`;
  }
}

export async function startEtcd(): Promise<RunningEtcd> {
  const skip = etcdSkipReason();
  if (skip !== undefined) throw new Error(skip);
  // A port found free can be taken (by any process's outgoing connection) before etcd binds it;
  // that is a race of the harness, not an etcd failure, so it is retried on fresh ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEtcdOnFreePorts();
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === 5) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function startEtcdOnFreePorts(): Promise<RunningEtcd> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const endpoint = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-etcd-'));
  const child = spawn(
    ETCD_BINARY,
    [
      '--name', 'k8ts-test',
      '--data-dir', dataDir,
      '--listen-client-urls', endpoint,
      '--advertise-client-urls', endpoint,
      '--listen-peer-urls', peer,
      '--initial-advertise-peer-urls', peer,
      '--initial-cluster', `k8ts-test=${peer}`,
      '--initial-cluster-state', 'new',
      '--log-level', 'error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => {
    running = false;
  });

  const stop = async (): Promise<void> => {
    if (running) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  // Poll /health until etcd has a leader; each try is a real request, the pause only spaces them.
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (!running) {
      await stop();
      const message = `etcd exited during startup: ${stderr}`;
      throw stderr.includes('address already in use') ? new PortTakenError(message) : new Error(message);
    }
    if (await healthy(endpoint)) return { endpoint, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`etcd did not become healthy within 20s: ${stderr}`);
    }
    await delay(50);
  }
}

async function healthy(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
    const body = (await response.json()) as { health?: unknown };
    return body.health === 'true' || body.health === true;
  } catch {
    return false;
  }
}

// kubectl top end to end: the real kubectl against `k8ts server` with the process runtime. The
// agent samples container usage (every 10 s, and 1 s after a new container shows up) and the API
// server's metrics.k8s.io asks the agent, so a busy pod shows CPU within a few seconds of starting.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`, { cause: last });
    await delay(500);
  }
}

/** Rows of `kubectl top` output, header dropped, split on runs of spaces. */
function rows(out: string): string[][] {
  return out.trim().split('\n').slice(1).map((line) => line.trim().split(/\s+/));
}

/** `352m` -> 352 (kubectl top always prints millicores). */
function millicores(text: string | undefined): number {
  const match = /^(\d+)m$/.exec(text ?? '');
  assert.ok(match, `a CPU column in millicores, got ${text}`);
  return Number(match[1]);
}

describe('kubectl top', { timeout: 300_000 }, () => {
  let server: RunningServer;
  let kubectl: Kubectl;

  before(async () => {
    server = await startServer({
      store: 'memory',
      workloads: true,
      extraArgs: ['--runtime', 'process', '--node-name', 'top-node', '--node-status-update-frequency', '2s'],
    });
    kubectl = kubectlFor(server.kubeconfig);
    await eventually('node top-node Ready', async () => {
      const out = await kubectl.ok(['get', 'node', 'top-node', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
      return out === 'True' ? out : undefined;
    });
    await kubectl.ok(['run', 'busy', '--image=busybox', '--restart=Never', '--command', '--', 'sh', '-c', 'while :; do :; done']);
    await kubectl.ok(['run', 'idle', '--image=busybox', '--restart=Never', '--command', '--', 'sleep', '3600']);
    await kubectl.ok(['wait', '--for=condition=Ready', 'pod/busy', 'pod/idle', '--timeout=90s']);
  });

  after(async () => {
    const code = await server.stop();
    await server.cleanup();
    assert.equal(code, 0, `server should exit 0 on SIGTERM:\n${server.output().slice(-4000)}`);
  });

  it('shows a busy pod using more CPU than an idle one', async () => {
    const table = await eventually('both pods in kubectl top', async () => {
      const result = await kubectl(['top', 'pod']);
      if (result.code !== 0) return undefined;
      const found = new Map(rows(result.stdout).map((row) => [row[0], row]));
      return found.has('busy') && found.has('idle') ? found : undefined;
    });
    const busy = table.get('busy') ?? [];
    const idle = table.get('idle') ?? [];
    assert.ok(millicores(busy[1]) > 100, `busy pod uses more than 100m: ${busy.join(' ')}`);
    assert.ok(millicores(idle[1]) < millicores(busy[1]), `idle pod uses less than the busy one: ${idle.join(' ')}`);
    assert.match(busy[2] ?? '', /^\d+Mi$/);
  });

  it('shows one pod by name, its containers, all namespaces, and a label selection', async () => {
    const one = rows(await kubectl.ok(['top', 'pod', 'busy', '--containers']));
    assert.deepEqual(one.map((row) => row.slice(0, 2)), [['busy', 'busy']]);
    const all = await kubectl.ok(['top', 'pod', '-A']);
    assert.match(all, /^NAMESPACE\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
    assert.deepEqual(rows(all).map((row) => row.slice(0, 2)).sort(), [['default', 'busy'], ['default', 'idle']]);
    const selected = rows(await kubectl.ok(['top', 'pod', '-l', 'run=idle']));
    assert.deepEqual(selected.map((row) => row[0]), ['idle']);
  });

  it('shows the node with percentages of its allocatable', async () => {
    const out = await eventually('node metrics', async () => {
      const result = await kubectl(['top', 'node']);
      return result.code === 0 ? result.stdout : undefined;
    });
    assert.match(out, /^NAME\s+CPU\(cores\)\s+CPU(\(%\))?\s+MEMORY\(bytes\)\s+MEMORY(\(%\))?/);
    assert.match(out, /\ntop-node\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%/);
    assert.match(await kubectl.ok(['top', 'node', 'top-node']), /\ntop-node\s+\d+m\s+\d+%/);
  });

  it('says so for a namespace without pods, and for a pod that does not exist', async () => {
    const empty = await kubectl(['top', 'pod', '-n', 'nothing-here']);
    assert.equal(empty.code, 0);
    assert.equal(empty.stderr.trim(), 'No resources found in nothing-here namespace.');
    const missing = await kubectl(['top', 'pod', 'nope']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /NotFound.*pods "nope" not found/);
  });
});

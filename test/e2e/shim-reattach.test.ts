// One process-runtime shim per node: an agent restarted over the same data dir connects to the
// shim its predecessor left running (it watches the re-adopted containers) and starts new
// containers through it, instead of starting a second shim beside it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { startServer } from '../helpers/k8ts-server.js';
import { kubectlFor } from '../helpers/kubectl.js';
import { eventually } from '../helpers/eventually.js';

/** PIDs of the container shims serving this data dir (they are told their socket in the environment). */
function shimsOf(dataDir: string): number[] {
  const socket = join(dataDir, 'agent', 'runtime', 'shim.sock');
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(`K8TS_SHIM_SOCKET=${socket}`)) pids.push(Number(name));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return pids;
}

function parentOf(pid: number): number {
  // The fields after the command's closing parenthesis: state, then the parent's PID.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

describe('process-runtime shim across an agent restart', { timeout: 180_000 }, () => {
  it('the restarted agent starts new containers through the shim that still runs; it exits with the last container', async () => {
    const marker = `shim-reattach-${process.pid}-${Date.now()}`;
    const manifest = JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'loop' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'loop' } },
        template: {
          metadata: { labels: { app: 'loop' } },
          spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'k8ts.test/loop:1', command: ['sh', '-c', 'while :; do sleep 1; done', marker] }] },
        },
      },
    });
    const first = await startServer({ workloads: true, keepPodsOnExit: true });
    let second: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      const kubectl = kubectlFor(first.kubeconfig);
      await kubectl.ok(['apply', '-f', '-'], { input: manifest });
      const running = (k: typeof kubectl, count: number) => async () => {
        const pods = (JSON.parse(await k.ok(['get', 'pods', '-l', 'app=loop', '-o', 'json'])) as { items: Pod[] }).items;
        return pods.length === count && pods.every((p) => p.status?.phase === 'Running') ? pods : undefined;
      };
      await eventually('one running pod', running(kubectl, 1));
      const [shim] = shimsOf(first.dataDir);
      assert.ok(shim !== undefined, 'the agent started a shim');

      assert.equal(await first.stop(), 0);
      assert.deepEqual(shimsOf(first.dataDir), [shim], 'the shim outlives the agent while its container runs');

      second = await startServer({ workloads: true, dataDir: first.dataDir, port: first.port });
      const kubectl2 = kubectlFor(second.kubeconfig);
      await kubectl2.ok(['scale', 'deploy', 'loop', '--replicas=2']);
      await eventually('two running pods', running(kubectl2, 2));
      assert.deepEqual(shimsOf(first.dataDir), [shim], 'no second shim');
      const containers = execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' }).trim().split('\n').map(Number);
      assert.equal(containers.length, 2);
      assert.deepEqual(containers.map(parentOf), [shim, shim], 'both containers run under the one shim');

      await kubectl2.ok(['delete', 'deploy', 'loop']);
      await eventually('no pods', async () => ((await running(kubectl2, 0)()) ? true : undefined));
      await eventually('the shim gone after the agent', async () => {
        if (second && second.process.exitCode === null) await second.stop();
        return shimsOf(first.dataDir).length === 0 ? true : undefined;
      }, 20_000);
    } finally {
      if (second) await second.stop();
      else await first.stop();
      await first.cleanup();
    }
  });
});

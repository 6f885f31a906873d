// An agent restart re-adopts what is running: the server (with its embedded agent) stops without
// stopping pods, a new one starts over the same data, and the same container process goes on
// serving — no duplicate process, no restart counted.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { startServer } from '../helpers/k8ts-server.js';
import { kubectlFor } from '../helpers/kubectl.js';
import { eventually } from '../helpers/eventually.js';

function processesMatching(marker: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

describe('agent restart', { timeout: 180_000 }, () => {
  it('re-adopts running containers: same process, no duplicate, restart count kept', async () => {
    const marker = `readopt-${process.pid}-${Date.now()}`;
    const serve = "require('http').createServer((q,s)=>s.end('ok')).listen(0,()=>console.log('serving'))";
    const manifest = JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'sticky' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'sticky' } },
        template: {
          metadata: { labels: { app: 'sticky' } },
          spec: { terminationGracePeriodSeconds: 2, containers: [{ name: 'web', image: 'k8ts.test/sticky:1', command: ['node', '-e', serve, marker] }] },
        },
      },
    });

    const first = await startServer({ workloads: true, keepPodsOnExit: true });
    let second: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      const kubectl = kubectlFor(first.kubeconfig);
      await kubectl.ok(['apply', '-f', '-'], { input: manifest });
      const readyPod = async (k: typeof kubectl) => {
        const pods = (JSON.parse(await k.ok(['get', 'pods', '-l', 'app=sticky', '-o', 'json'])) as { items: Pod[] }).items;
        const [pod] = pods;
        const ready = pod?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
        return pods.length === 1 && ready ? pod : undefined;
      };
      const before = await eventually('a Ready pod', () => readyPod(kubectl));
      const pidsBefore = processesMatching(marker);
      assert.ok(pidsBefore.length > 0, 'the container process runs');

      assert.equal(await first.stop(), 0);
      assert.deepEqual(processesMatching(marker), pidsBefore, 'containers outlive the agent');

      second = await startServer({ workloads: true, dataDir: first.dataDir, port: first.port });
      const kubectl2 = kubectlFor(second.kubeconfig);
      // Give the new agent time to sync its pods (it would start a duplicate if it did not adopt).
      await delay(3000);
      const after = await eventually('the same pod Ready', () => readyPod(kubectl2));
      assert.equal(after.metadata?.uid, before.metadata?.uid, 'the same pod');
      assert.equal(after.status?.containerStatuses?.[0]?.restartCount, 0, 'no restart counted');
      assert.equal(after.status?.containerStatuses?.[0]?.containerID, before.status?.containerStatuses?.[0]?.containerID);
      assert.deepEqual(processesMatching(marker), pidsBefore, 'the same processes, no duplicate');
      await kubectl2.ok(['delete', 'deploy', 'sticky']);
    } finally {
      if (second) await second.stop();
      else await first.stop();
      await first.cleanup();
    }
    await eventually('no container process left', async () => (processesMatching(marker).length === 0 ? true : undefined), 30_000);
  });
});

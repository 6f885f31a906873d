// Node failure end to end: `k8ts server` (no embedded agent) and three `k8ts agent` processes
// with the fake runtime. Killing one agent makes its node Unknown and tainted within the
// (shortened) grace period, and its pods are evicted and run on the other nodes. Timings are
// shortened by flags: leases of 2 s (renewed every 0.5 s), a 3 s grace period, and pods that
// tolerate an unreachable node for 1 s instead of the default 300 s.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { startAgentProcess, stopAgentsAndServer, type AgentProcess } from '../helpers/agent-process.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(200);
  }
}

describe('node failure with three agents', { timeout: 300_000 }, () => {
  let server: RunningServer;
  let kubectl: Kubectl;
  let agentDir: string;
  const agents: AgentProcess[] = [];

  const nodeReady = async (name: string) =>
    kubectl.ok(['get', 'node', name, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);

  before(async () => {
    server = await startServer({ store: 'memory', workloads: true, extraArgs: ['--no-agent', '--node-monitor-grace-period', '3s'] });
    kubectl = kubectlFor(server.kubeconfig);
    agentDir = await mkdtemp(join(tmpdir(), 'k8ts-e2e-agents-'));
    for (const name of ['node-a', 'node-b', 'node-c']) agents.push(startAgentProcess({
      server, dataDir: agentDir, name,
      extraArgs: ['--node-lease-duration-seconds', '2', '--node-status-update-frequency', '1s'],
    }));
  });

  after(async () => {
    await stopAgentsAndServer(agents, server, agentDir);
  });

  it('three agents register Ready nodes', async () => {
    for (const agent of agents) {
      await eventually(`${agent.name} Ready`, async () => ((await nodeReady(agent.name)) === 'True' ? true : undefined));
    }
  });

  it('a stopped agent: its node goes Unknown and tainted, its pods run elsewhere', async () => {
    const tolerations = ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready'].map((key) => ({
      key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1,
    }));
    await kubectl.ok(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'spread' },
        spec: {
          replicas: 6, selector: { matchLabels: { app: 'spread' } },
          template: {
            metadata: { labels: { app: 'spread' } },
            spec: { tolerations, containers: [{ name: 'c', image: 'k8ts.test/hollow:1' }] },
          },
        },
      }),
    });
    await kubectl.ok(['rollout', 'status', 'deploy/spread', '--timeout=90s']);
    const pods = (JSON.parse(await kubectl.ok(['get', 'pods', '-l', 'app=spread', '-o', 'json'])) as { items: Pod[] }).items;
    const victim = agents.find((agent) => pods.some((pod) => pod.spec?.nodeName === agent.name));
    assert.ok(victim, 'some node runs pods');

    // SIGKILL: no chance to say goodbye, like a machine that lost power.
    victim.child.kill('SIGKILL');
    await victim.exited;

    await eventually(`${victim.name} Unknown`, async () => ((await nodeReady(victim.name)) === 'Unknown' ? true : undefined), 30_000);
    const node = JSON.parse(await kubectl.ok(['get', 'node', victim.name, '-o', 'json'])) as Node;
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.reason, 'NodeStatusUnknown');
    assert.equal(ready.message, 'Kubelet stopped posting node status.');
    const taints = (node.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();
    assert.deepEqual(taints, ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    assert.match(await kubectl.ok(['get', 'nodes']), new RegExp(`${victim.name}\\s+NotReady`));

    await eventually('all pods Ready on the surviving nodes', async () => {
      const current = (JSON.parse(await kubectl.ok(['get', 'pods', '-l', 'app=spread', '-o', 'json'])) as { items: Pod[] }).items;
      const ok =
        current.length === 6 &&
        current.every((pod) => pod.spec?.nodeName !== victim.name && pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      return ok ? true : undefined;
    });
    const events = await kubectl.ok(['get', 'events', '--field-selector', 'reason=TaintManagerEviction', '-o', 'jsonpath={.items[*].message}']);
    assert.match(events, /Marking for deletion Pod default\/spread-/);
  });
});

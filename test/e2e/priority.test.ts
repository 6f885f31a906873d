// PriorityClasses, Priority admission and scheduler preemption end to end: `k8ts server` (no
// embedded agent) with one `k8ts agent` on the fake runtime, driven by the real kubectl.
// `kubectl get pc` lists the built-in classes with upstream's columns; `kubectl create
// priorityclass` (a protobuf body) adds two; a pod naming an unknown class is refused (403); a
// Deployment of low-priority pods fills the node's cpu, then a high-priority pod preempts one of
// them (Preempted Event, upstream wording) and runs, while the low pod's replacement stays Pending.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1.js';
import { startAgentProcess, stopAgentsAndServer, type AgentProcess } from '../helpers/agent-process.js';
import { eventually } from '../helpers/eventually.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';

/** `2`, `1900m` -> millicores. */
function milliCpu(quantity: string): number {
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) : Math.round(Number(quantity) * 1000);
}

describe('PriorityClasses and preemption', { timeout: 300_000 }, () => {
  let server: RunningServer;
  let kubectl: Kubectl;
  let agentDir: string;
  const agents: AgentProcess[] = [];
  /** 40% of the node's allocatable cpu: two such pods fit, a third does not. */
  let share = '';

  async function pods(selector: string): Promise<Pod[]> {
    return (JSON.parse(await kubectl.ok(['get', 'pods', '-l', selector, '-o', 'json'])) as { items: Pod[] }).items;
  }

  const isRunning = (pod: Pod): boolean => pod.status?.phase === 'Running';

  before(async () => {
    server = await startServer({ store: 'memory', workloads: true, extraArgs: ['--no-agent'] });
    kubectl = kubectlFor(server.kubeconfig);
    agentDir = await mkdtemp(join(tmpdir(), 'k8ts-e2e-priority-'));
    agents.push(startAgentProcess({ server, dataDir: agentDir, name: 'node-a' }));
    await eventually('node-a Ready', async () =>
      (await kubectl.ok(['get', 'node', 'node-a', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])) === 'True' ? true : undefined);
    const node = JSON.parse(await kubectl.ok(['get', 'node', 'node-a', '-o', 'json'])) as Node;
    share = `${Math.floor(milliCpu(node.status?.allocatable?.cpu ?? '1') * 0.4)}m`;
  });

  after(async () => {
    await stopAgentsAndServer(agents, server, agentDir);
  });

  it('kubectl get pc shows the built-in classes; kubectl create priorityclass adds classes', async () => {
    const table = await kubectl.ok(['get', 'pc']);
    assert.match(table, /^NAME\s+VALUE\s+GLOBAL-DEFAULT\s+AGE\s+PREEMPTIONPOLICY$/m);
    assert.match(table, /^system-cluster-critical\s+2000000000\s+false\s+\S+\s+PreemptLowerPriority$/m);
    assert.match(table, /^system-node-critical\s+2000001000\s+false\s+\S+\s+PreemptLowerPriority$/m);

    assert.equal((await kubectl.ok(['create', 'priorityclass', 'high', '--value=1000', '--description=checkout'])).trim(),
      'priorityclass.scheduling.k8s.io/high created');
    assert.equal((await kubectl.ok(['create', 'priorityclass', 'low', '--value=10', '--preemption-policy=Never'])).trim(),
      'priorityclass.scheduling.k8s.io/low created');
    assert.match(await kubectl.ok(['get', 'priorityclasses']), /^low\s+10\s+false\s+\S+\s+Never$/m);
    const tooHigh = await kubectl(['create', 'priorityclass', 'greedy', '--value=2000000000']);
    assert.notEqual(tooHigh.code, 0);
    assert.match(tooHigh.stderr, /value: Forbidden: maximum allowed value of a user defined priority is 1000000000/);
  });

  it('a pod naming an unknown class is forbidden; a known one gives the pod its priority', async () => {
    const manifest = (name: string, priorityClassName: string) => JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: { priorityClassName, containers: [{ name: 'c', image: 'k8ts.test/hollow:1' }] },
    });
    const refused = await kubectl(['create', '-f', '-'], { input: manifest('lost', 'nope') });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Error from server \(Forbidden\).*pods "lost" is forbidden: no PriorityClass with name nope was found/);
    await kubectl.ok(['create', '-f', '-'], { input: manifest('tiny', 'low') });
    assert.equal(await kubectl.ok(['get', 'pod', 'tiny', '-o', 'jsonpath={.spec.priority} {.spec.preemptionPolicy}']), '10 Never');
    await kubectl.ok(['delete', 'pod', 'tiny', '--wait=false']);
  });

  it('a high-priority pod preempts a low-priority one on a full node and runs', async () => {
    const template = (priorityClassName: string) => ({
      spec: {
        priorityClassName, terminationGracePeriodSeconds: 1,
        containers: [{ name: 'c', image: 'k8ts.test/hollow:1', resources: { requests: { cpu: share } } }],
      },
    });
    await kubectl.ok(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'batch' },
        spec: {
          replicas: 2, selector: { matchLabels: { app: 'batch' } },
          template: { metadata: { labels: { app: 'batch' } }, ...template('low') },
        },
      }),
    });
    await kubectl.ok(['rollout', 'status', 'deploy/batch', '--timeout=90s']);
    const before = (await pods('app=batch')).map((pod) => pod.metadata?.name ?? '');
    assert.equal(before.length, 2);

    await kubectl.ok(['create', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'checkout', labels: { app: 'checkout' } }, ...template('high') }),
    });
    const checkout = await eventually('checkout Running on node-a', async () => {
      const [pod] = await pods('app=checkout');
      return pod && isRunning(pod) && pod.spec?.nodeName === 'node-a' ? pod : undefined;
    }, 120_000);
    assert.equal(checkout.spec?.priority, 1000);

    const events = (JSON.parse(await kubectl.ok(['get', 'events', '-o', 'json'])) as { items: Event[] }).items;
    const preempted = events.filter((e) => e.reason === 'Preempted');
    assert.equal(preempted.length, 1, JSON.stringify(events.map((e) => [e.reason, e.message])));
    assert.ok(before.includes(preempted[0]?.involvedObject.name ?? ''));
    assert.equal(preempted[0]?.message, `Preempted by pod ${checkout.metadata?.uid} on node node-a`);

    // The survivor keeps running; the victim's replacement waits (class low never preempts).
    const batch = await pods('app=batch');
    assert.equal(batch.filter(isRunning).length, 1);
    const pending = await eventually('the replacement reports FailedScheduling', async () => {
      const waiting = (await pods('app=batch')).find((pod) => !pod.spec?.nodeName);
      const message = waiting?.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message;
      return message ? message : undefined;
    });
    assert.match(pending, /^0\/1 nodes are available: 1 Insufficient cpu\. preemption: not eligible due to preemptionPolicy=Never\.$/);
  });
});

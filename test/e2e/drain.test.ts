// PodDisruptionBudgets, pods/eviction and `kubectl drain` end to end: `k8ts server` (no embedded
// agent) with two `k8ts agent` processes on the fake runtime, driven by the real kubectl.
// `kubectl create pdb` (a protobuf body), `kubectl get pdb` columns, an eviction the budget
// allows (201) and one it refuses (429 with upstream's message), then a drain of the node that
// runs every pod: the first eviction goes through, the second is refused until the replacement
// is Ready on the other node (drain retries every 5 s), and the node ends cordoned; uncordon.
// Last, a Rollout restart (spec.restartAt) goes through the same Eviction API.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { startAgentProcess, stopAgentsAndServer, type AgentProcess } from '../helpers/agent-process.js';
import { apiClientFor, type ApiClient } from '../helpers/api-client.js';
import { eventually } from '../helpers/eventually.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';

describe('PodDisruptionBudgets, eviction and kubectl drain', { timeout: 300_000 }, () => {
  let server: RunningServer;
  let kubectl: Kubectl;
  let api: ApiClient;
  let agentDir: string;
  const agents: AgentProcess[] = [];

  async function webPods(): Promise<Pod[]> {
    return (JSON.parse(await kubectl.ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])) as { items: Pod[] }).items;
  }

  const isReady = (pod: Pod): boolean => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

  async function budget(): Promise<PodDisruptionBudget> {
    return JSON.parse(await kubectl.ok(['get', 'pdb', 'web', '-o', 'json'])) as PodDisruptionBudget;
  }

  async function evict(name: string) {
    return api.request('POST', `/api/v1/namespaces/default/pods/${name}/eviction`, {
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } },
    });
  }

  before(async () => {
    server = await startServer({ store: 'memory', workloads: true, extraArgs: ['--no-agent'] });
    kubectl = kubectlFor(server.kubeconfig);
    api = apiClientFor(server.kubeconfig);
    agentDir = await mkdtemp(join(tmpdir(), 'k8ts-e2e-drain-'));
    for (const name of ['node-a', 'node-b']) agents.push(startAgentProcess({ server, dataDir: agentDir, name }));
    for (const name of ['node-a', 'node-b']) {
      await eventually(`${name} Ready`, async () =>
        (await kubectl.ok(['get', 'node', name, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])) === 'True' ? true : undefined);
    }
  });

  after(async () => {
    api.close();
    await stopAgentsAndServer(agents, server, agentDir);
  });

  it('kubectl create pdb and get pdb show the budget the controller computed', async () => {
    // Every pod on node-a: node-b stays cordoned until the drain.
    await kubectl.ok(['cordon', 'node-b']);
    await kubectl.ok(['create', 'deployment', 'web', '--image=k8ts.test/hollow:1', '--replicas=2']);
    await kubectl.ok(['rollout', 'status', 'deploy/web', '--timeout=90s']);
    assert.ok((await webPods()).every((pod) => pod.spec?.nodeName === 'node-a'));

    const created = await kubectl.ok(['create', 'pdb', 'web', '--selector=app=web', '--min-available=1']);
    assert.equal(created.trim(), 'poddisruptionbudget.policy/web created');
    const table = await eventually('ALLOWED DISRUPTIONS 1', async () => {
      const out = await kubectl.ok(['get', 'pdb']);
      return /^web\s+1\s+N\/A\s+1\s+\S+$/m.test(out) ? out : undefined;
    });
    assert.match(table, /^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE$/m);
    const status = (await budget()).status;
    assert.equal(status?.expectedPods, 2);
    assert.equal(status?.currentHealthy, 2);
    assert.equal(status?.desiredHealthy, 1);
    assert.equal(status?.conditions?.find((c) => c.type === 'DisruptionAllowed')?.reason, 'SufficientPods');
  });

  it('an eviction the budget allows deletes the pod; one it does not is refused with 429', async () => {
    const [first] = await webPods();
    assert.ok(first?.metadata?.name);
    const allowed = await evict(first.metadata.name);
    assert.equal(allowed.status, 201, allowed.text);
    await eventually('the evicted pod replaced and both Ready', async () => {
      const pods = await webPods();
      return pods.length === 2 && pods.every(isReady) && !pods.some((pod) => pod.metadata?.name === first.metadata?.name) ? true : undefined;
    });

    await kubectl.ok(['patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":2}}']);
    await eventually('ALLOWED DISRUPTIONS 0', async () => {
      const pdb = await budget();
      return pdb.status?.observedGeneration === pdb.metadata?.generation && pdb.status?.disruptionsAllowed === 0 ? true : undefined;
    });
    const [victim] = await webPods();
    const refused = await evict(victim?.metadata?.name ?? '');
    assert.equal(refused.status, 429, refused.text);
    const body = refused.json<{ reason: string; message: string; details: { causes: { reason: string; message: string }[] } }>();
    assert.equal(body.reason, 'TooManyRequests');
    assert.equal(body.message, "Cannot evict pod as it would violate the pod's disruption budget.");
    assert.deepEqual(body.details.causes, [{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 2 healthy pods and has 2 currently' }]);
    assert.equal((await webPods()).length, 2);
    await kubectl.ok(['patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":1}}']);
  });

  it('kubectl drain moves the pods while the budget holds, retrying on 429; uncordon', async () => {
    await eventually('both pods Ready on node-a, ALLOWED DISRUPTIONS 1', async () => {
      const pods = await webPods();
      const pdb = await budget();
      return pods.length === 2 && pods.every((pod) => pod.spec?.nodeName === 'node-a' && isReady(pod)) &&
        pdb.status?.observedGeneration === pdb.metadata?.generation && pdb.status?.disruptionsAllowed === 1 ? true : undefined;
    });
    await kubectl.ok(['uncordon', 'node-b']);
    const drain = await kubectl(['drain', 'node-a', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=120s']);
    assert.equal(drain.code, 0, drain.stderr + drain.stdout);
    assert.match(drain.stdout, /node\/node-a cordoned/);
    assert.match(drain.stdout, /evicting pod default\/web-/);
    assert.match(drain.stdout, /node\/node-a drained/);
    // The second eviction met the budget: kubectl said so and retried.
    assert.match(drain.stderr, /Cannot evict pod as it would violate the pod's disruption budget\./);
    const pods = await webPods();
    assert.equal(pods.length, 2);
    assert.ok(pods.every((pod) => pod.spec?.nodeName === 'node-b'), JSON.stringify(pods.map((pod) => pod.spec?.nodeName)));
    assert.equal(await kubectl.ok(['get', 'node', 'node-a', '-o', 'jsonpath={.spec.unschedulable}']), 'true');

    assert.match(await kubectl.ok(['uncordon', 'node-a']), /node\/node-a uncordoned/);
    assert.equal(await kubectl.ok(['get', 'node', 'node-a', '-o', 'jsonpath={.spec.unschedulable}']), '');
  });

  it('a Rollout restart with a budget in place (pods/eviction): every pod replaced, restartedAt set', async () => {
    await kubectl.ok(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'ro' },
        spec: {
          replicas: 2, selector: { matchLabels: { app: 'ro' } },
          template: { metadata: { labels: { app: 'ro' } }, spec: { containers: [{ name: 'c', image: 'k8ts.test/hollow:1' }] } },
          strategy: { canary: { steps: [] } },
        },
      }),
    });
    const roPods = async (): Promise<Pod[]> =>
      (JSON.parse(await kubectl.ok(['get', 'pods', '-l', 'app=ro', '-o', 'json'])) as { items: Pod[] }).items;
    const before = await eventually('two Ready rollout pods', async () => {
      const pods = await roPods();
      return pods.length === 2 && pods.every(isReady) ? pods.map((pod) => pod.metadata?.name ?? '') : undefined;
    });
    await kubectl.ok(['create', 'pdb', 'ro', '--selector=app=ro', '--max-unavailable=1']);
    await eventually('the rollout budget allows 1', async () =>
      (await kubectl.ok(['get', 'pdb', 'ro', '-o', 'jsonpath={.status.disruptionsAllowed}'])) === '1' ? true : undefined);
    // Timestamps have second precision and only pods created strictly before restartAt restart
    // (Argo's rule), so restartAt is the next whole second after the newest pod: on a fast machine
    // the pods, the budget and a "now" restartAt can all fall in the same second.
    const newest = Math.max(...(await roPods()).map((pod) => Date.parse(pod.metadata?.creationTimestamp ?? '')));
    const restartAt = new Date(Math.max(Date.now(), newest + 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await kubectl.ok(['patch', 'rollout', 'ro', '--type=merge', '-p', JSON.stringify({ spec: { restartAt } })]);
    await eventually('restartedAt and two new Ready pods', async () => {
      const restartedAt = await kubectl.ok(['get', 'rollout', 'ro', '-o', 'jsonpath={.status.restartedAt}']);
      const pods = await roPods();
      return restartedAt === restartAt && pods.length === 2 && pods.every(isReady) && pods.every((pod) => !before.includes(pod.metadata?.name ?? ''))
        ? true : undefined;
    }, 120_000);
    const reasons = await kubectl.ok(['get', 'events', '--field-selector', 'involvedObject.name=ro', '-o', 'jsonpath={.items[*].reason}']);
    assert.match(reasons, /RestartingPod/);
  });
});

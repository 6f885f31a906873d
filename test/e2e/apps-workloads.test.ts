// DaemonSets and StatefulSets end to end: the real kubectl against `k8ts server` (controllers and
// scheduler, no embedded agent) with three `k8ts agent` processes on the fake runtime (hollow
// containers that run at once), so one suite covers placement per node, ordered identities and
// the rollout commands that read ControllerRevisions.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DaemonSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { startAgentProcess, stopAgentsAndServer, type AgentProcess } from '../helpers/agent-process.js';
import { eventually } from '../helpers/eventually.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';

const NODES = ['node-a', 'node-b', 'node-c'];

function daemonSet(name: string, image: string, nodeSelector?: Record<string, string>): string {
  return JSON.stringify({
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { ...(nodeSelector ? { nodeSelector } : {}), terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image }] },
      },
    },
  });
}

function statefulSet(name: string, replicas: number, image: string): string {
  return JSON.stringify({
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name },
    spec: {
      replicas, serviceName: name,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image }] } },
    },
  });
}

describe('daemonsets and statefulsets with kubectl', { timeout: 300_000 }, () => {
  let server: RunningServer;
  let kubectl: Kubectl;
  let agentDir: string;
  const agents: AgentProcess[] = [];

  const apply = (manifest: string) => kubectl.ok(['apply', '-f', '-'], { input: manifest });
  const json = async <T>(args: string[]): Promise<T> => JSON.parse(await kubectl.ok([...args, '-o', 'json'])) as T;
  const livePods = async (app: string) =>
    (await json<{ items: Pod[] }>(['get', 'pods', '-l', `app=${app}`])).items.filter((p) => p.metadata?.deletionTimestamp === undefined);
  const nodesOf = (pods: Pod[]) => pods.map((p) => p.spec?.nodeName ?? '').sort();
  const imagesOf = (pods: Pod[]) => [...new Set(pods.map((p) => p.spec?.containers[0]?.image))];

  before(async () => {
    server = await startServer({ store: 'memory', workloads: true, extraArgs: ['--no-agent'] });
    kubectl = kubectlFor(server.kubeconfig);
    agentDir = await mkdtemp(join(tmpdir(), 'k8ts-e2e-apps-'));
    for (const name of NODES) agents.push(startAgentProcess({ server, dataDir: agentDir, name }));
    for (const name of NODES) {
      await eventually(`${name} Ready`, async () => {
        const ready = await kubectl.ok(['get', 'node', name, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
        return ready === 'True' ? true : undefined;
      });
    }
  });

  after(async () => {
    await stopAgentsAndServer(agents, server, agentDir);
  });

  it('a DaemonSet runs one pod on every node; rollout status reports it', async () => {
    await apply(daemonSet('agentd', 'k8ts.test/agentd:1'));
    await kubectl.ok(['rollout', 'status', 'ds/agentd', '--timeout=60s']);
    assert.deepEqual(nodesOf(await livePods('agentd')), NODES);
    const ds = await json<DaemonSet>(['get', 'ds', 'agentd']);
    assert.equal(ds.status?.desiredNumberScheduled, 3);
    assert.equal(ds.status?.numberReady, 3);
    assert.match(await kubectl.ok(['get', 'ds', 'agentd']), /^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\nagentd\s+3\s+3\s+3\s+3\s+3\s+<none>/);
  });

  it('a DaemonSet with a nodeSelector follows node labels', async () => {
    await apply(daemonSet('edge', 'k8ts.test/edge:1', { tier: 'edge' }));
    await kubectl.ok(['label', 'node', 'node-b', 'tier=edge']);
    await eventually('edge pod on node-b', async () => (nodesOf(await livePods('edge')).join() === 'node-b' ? true : undefined));
    await kubectl.ok(['label', 'node', 'node-a', 'tier=edge']);
    await eventually('edge pods on node-a and node-b', async () => (nodesOf(await livePods('edge')).join() === 'node-a,node-b' ? true : undefined));
    await kubectl.ok(['label', 'node', 'node-b', 'tier-']);
    await eventually('edge pod only on node-a', async () => (nodesOf(await livePods('edge')).join() === 'node-a' ? true : undefined));
  });

  it('a DaemonSet image change rolls out; rollout history and undo use its ControllerRevisions', async () => {
    await kubectl.ok(['set', 'image', 'ds/agentd', 'c=k8ts.test/agentd:2']);
    await kubectl.ok(['rollout', 'status', 'ds/agentd', '--timeout=60s']);
    await eventually('every agentd pod on :2', async () => {
      const pods = await livePods('agentd');
      return pods.length === 3 && imagesOf(pods).join() === 'k8ts.test/agentd:2' ? true : undefined;
    });
    const history = await kubectl.ok(['rollout', 'history', 'ds/agentd']);
    assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    assert.match(await kubectl.ok(['rollout', 'history', 'ds/agentd', '--revision=1']), /Image:\s+k8ts\.test\/agentd:1/);
    await kubectl.ok(['rollout', 'undo', 'ds/agentd']);
    await kubectl.ok(['rollout', 'status', 'ds/agentd', '--timeout=60s']);
    await eventually('every agentd pod back on :1', async () => {
      const pods = await livePods('agentd');
      return pods.length === 3 && imagesOf(pods).join() === 'k8ts.test/agentd:1' ? true : undefined;
    });
    const revisions = await kubectl.ok(['get', 'controllerrevisions', '-l', 'app=agentd']);
    assert.match(revisions, /daemonset\.apps\/agentd/);
  });

  it('a StatefulSet creates web-0, web-1, web-2 with stable identities', async () => {
    await apply(statefulSet('web', 3, 'k8ts.test/web:1'));
    await kubectl.ok(['rollout', 'status', 'sts/web', '--timeout=90s']);
    const pods = await livePods('web');
    assert.deepEqual(pods.map((p) => p.metadata?.name).sort(), ['web-0', 'web-1', 'web-2']);
    for (const pod of pods) {
      assert.equal(pod.spec?.hostname, pod.metadata?.name);
      assert.equal(pod.spec?.subdomain, 'web');
      assert.equal(pod.metadata?.labels?.['statefulset.kubernetes.io/pod-name'], pod.metadata?.name);
    }
    // OrderedReady: each pod was created after the one before it was Ready.
    const created = (name: string) => Date.parse(pods.find((p) => p.metadata?.name === name)?.metadata?.creationTimestamp ?? '');
    assert.ok(created('web-0') <= created('web-1') && created('web-1') <= created('web-2'));
    assert.match(await kubectl.ok(['get', 'sts', 'web']), /^NAME\s+READY\s+AGE\nweb\s+3\/3\s+/);
  });

  it('a deleted StatefulSet pod comes back under its name; scaling down removes the highest ordinals', async () => {
    const before = (await livePods('web')).find((p) => p.metadata?.name === 'web-1');
    await kubectl.ok(['delete', 'pod', 'web-1', '--wait=false']);
    await eventually('a new web-1', async () => {
      const again = (await livePods('web')).find((p) => p.metadata?.name === 'web-1');
      return again && again.metadata?.uid !== before?.metadata?.uid && again.status?.phase === 'Running' ? again : undefined;
    });
    await kubectl.ok(['scale', 'sts', 'web', '--replicas=1']);
    await eventually('only web-0 left', async () => ((await livePods('web')).map((p) => p.metadata?.name).join() === 'web-0' ? true : undefined));
    const set = await json<StatefulSet>(['get', 'sts', 'web']);
    assert.equal(set.spec?.replicas, 1);
  });

  it('a StatefulSet image change rolls out; rollout history and undo work', async () => {
    await kubectl.ok(['scale', 'sts', 'web', '--replicas=2']);
    await kubectl.ok(['rollout', 'status', 'sts/web', '--timeout=90s']);
    await kubectl.ok(['set', 'image', 'sts/web', 'c=k8ts.test/web:2']);
    await kubectl.ok(['rollout', 'status', 'sts/web', '--timeout=90s']);
    await eventually('web pods on :2', async () => {
      const pods = await livePods('web');
      return pods.length === 2 && imagesOf(pods).join() === 'k8ts.test/web:2' ? true : undefined;
    });
    const set = await json<StatefulSet>(['get', 'sts', 'web']);
    assert.equal(set.status?.currentRevision, set.status?.updateRevision);
    assert.match(await kubectl.ok(['rollout', 'history', 'sts/web']), /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    await kubectl.ok(['rollout', 'undo', 'sts/web']);
    await kubectl.ok(['rollout', 'status', 'sts/web', '--timeout=90s']);
    await eventually('web pods back on :1', async () => {
      const pods = await livePods('web');
      return pods.length === 2 && imagesOf(pods).join() === 'k8ts.test/web:1' ? true : undefined;
    });
  });
});

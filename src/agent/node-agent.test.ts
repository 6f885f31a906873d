import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { KubeObject } from '../api/object.js';
import { FakeEventRecorder } from '../client/events/fake-event-recorder.js';
import { FakeClientSet } from '../client/fake/fake-client-set.js';
import type { Informer, InformerFactory, InformerHandlers, Lister } from '../client/informer/informer.js';
import type { ResourceType } from '../client/resource-client.js';
import { LEASES, NODES, PODS } from '../client/resource-types.js';
import { FakeClock } from '../lib/clock.js';
import { NotFoundError } from '../lib/errors.js';
import { silentLogger } from '../lib/logger.js';
import { NodeAgent } from './node-agent.js';
import type { PodObject } from './object-types.js';
import { sandboxLabels } from './runtime-labels.js';
import { FakeRuntime } from './runtime/fake/fake-runtime.js';
import { tempDirRemovedAtExit } from '../../test/helpers/temp-dir.js';

/** A hand-driven informer: lists once on waitForSync, then the test delivers events. */
class ManualInformers implements InformerFactory {
  readonly handlers: InformerHandlers<KubeObject>[] = [];
  private readonly objects = new Map<string, KubeObject>();
  private readonly clients: FakeClientSet;
  requested: string | undefined;

  constructor(clients: FakeClientSet) {
    this.clients = clients;
  }

  informerFor<T extends KubeObject>(type: ResourceType, options?: { fieldSelector?: string }): Informer<T> {
    this.requested = options?.fieldSelector;
    const objects = this.objects;
    const lister: Lister<KubeObject> = {
      get: (namespace, name) => [...objects.values()].find((o) => o.metadata?.namespace === namespace && o.metadata?.name === name),
      list: () => [...objects.values()],
      byIndex: () => [],
    };
    const informer: Informer<KubeObject> = {
      type, lister, addHandlers: (h) => this.handlers.push(h), addIndexers: () => undefined, hasSynced: () => true,
    };
    return informer as unknown as Informer<T>;
  }

  start(): void {}

  async waitForSync(): Promise<void> {
    const list = await this.clients.resource(PODS).list(undefined, { ...(this.requested ? { fieldSelector: this.requested } : {}) });
    for (const pod of list.items) this.objects.set(pod.metadata?.uid ?? '', pod);
  }

  update(pod: KubeObject): void {
    const old = this.objects.get(pod.metadata?.uid ?? '') ?? pod;
    this.objects.set(pod.metadata?.uid ?? '', pod);
    for (const h of this.handlers) h.update?.(old, pod);
  }

  remove(pod: KubeObject): void {
    this.objects.delete(pod.metadata?.uid ?? '');
    for (const h of this.handlers) h.delete?.(pod);
  }
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !check(); i++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(check(), 'condition never became true');
}

it('registers, adopts, removes orphans, runs its pods and finishes a graceful deletion', async () => {
  const clock = new FakeClock();
  const clients = new FakeClientSet({ clock });
  const runtime = new FakeRuntime({ clock, hostIp: '10.0.0.5' });
  const informers = new ManualInformers(clients);
  const recorder = new FakeEventRecorder();
  const [pod] = clients.seed<PodObject>(PODS,
    { metadata: { name: 'web', namespace: 'default' }, spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx' }] }, status: { phase: 'Pending' } },
    { metadata: { name: 'elsewhere', namespace: 'default' }, spec: { nodeName: 'node-2', containers: [{ name: 'app', image: 'nginx' }] } });
  // A sandbox of a pod that was deleted while the agent was down.
  const orphan = await runtime.runPodSandbox({
    podUid: 'gone-uid', podName: 'old', podNamespace: 'default', attempt: 0, hostname: 'old', hostNetwork: false, portMappings: [],
    logDirectory: '/tmp', labels: sandboxLabels({ uid: 'gone-uid', name: 'old', namespace: 'default' }),
  });
  const agent = new NodeAgent({
    clients, informers, runtime, recorder, clock, logger: silentLogger(), nodeName: 'node-1',
    dataDir: tempDirRemovedAtExit('k8ts-agent-'), address: '10.0.0.5', podResyncMs: 60_000,
    hostInfo: { hostname: 'box', cpus: 2, memoryBytes: 2 ** 30, kernelVersion: '6', osImage: 'Debian', operatingSystem: 'linux', architecture: 'amd64', machineID: 'm', bootID: 'b' },
  });
  const controller = new AbortController();
  const running = agent.run(controller.signal);
  await until(() => agent.started);
  await agent.workers?.idle();
  assert.equal(informers.requested, 'spec.nodeName=node-1');
  assert.ok(await clients.resource(NODES).get(undefined, 'node-1'));
  assert.ok(await clients.resource(LEASES).get('kube-node-lease', 'node-1'));
  assert.equal(runtime.state.sandboxes.has(orphan), false, 'orphan removed');
  const pods = clients.resource<PodObject>(PODS);
  const web = await pods.get('default', 'web');
  assert.equal(web.status?.phase, 'Running');
  assert.equal(runtime.state.sandboxes.size, 1, 'only the pod bound to node-1 runs here');
  assert.match(await agent.resolveLogPath('default', 'web', 'app', false) ?? '', /app\/0\.log$/);

  informers.update({ ...web, metadata: { ...web.metadata, deletionTimestamp: clock.now().toISOString(), deletionGracePeriodSeconds: 30 } });
  await agent.workers?.idle();
  await assert.rejects(pods.get('default', 'web'), NotFoundError);
  assert.equal(runtime.state.sandboxes.size, 0);
  informers.remove(web);
  await agent.workers?.idle();
  assert.deepEqual(agent.workers?.uids(), []);
  assert.ok(pod);

  controller.abort();
  await running;
});

// The registration over real informers (SharedInformerFactory on FakeClientSet): which events
// become which keys, and that the pods-by-node index feeds the reconciler.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { FakeEventRecorder } from '../../client/events/fake-event-recorder.js';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { SharedInformerFactory } from '../../client/informer/shared-informer-factory.js';
import { LEASES, NODES, PODS } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { createNodeLifecycleController, PODS_BY_NODE_INDEX } from './node-lifecycle-controller.js';
import type { LeaseObject, NodeObject, PodObject } from './node-lifecycle-types.js';

describe('nodeLifecycleController registration', () => {
  let stop = new AbortController();
  afterEach(() => {
    stop.abort();
    stop = new AbortController();
  });

  async function setUp(nodeReady: string) {
    const clock = new FakeClock();
    const clients = new FakeClientSet({ clock });
    clients.seed<NodeObject>(NODES, { metadata: { name: 'n1' }, spec: {}, status: { conditions: [{ type: 'Ready', status: nodeReady }] } });
    clients.seed<NodeObject>(NODES, { metadata: { name: 'n2' }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    const informers = new SharedInformerFactory({ clients });
    const registration = createNodeLifecycleController({ nodeMonitorGracePeriodMs: 5000 })({
      clients, informers, clock, logger: silentLogger(), recorder: new FakeEventRecorder(), signal: stop.signal,
    });
    const keys: string[] = [];
    const waiters: { key: string; resolve: () => void }[] = [];
    registration.connect(
      (key) => {
        keys.push(key);
        for (const waiter of waiters.filter((w) => w.key === key)) waiter.resolve();
      },
      () => undefined,
    );
    const seen = (key: string) =>
      keys.includes(key) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ key, resolve }));
    informers.start(stop.signal);
    await informers.waitForSync(stop.signal);
    return { clients, informers, registration, keys, seen };
  }

  it('nodes and their leases enqueue the node name', async () => {
    const { clients, keys, seen } = await setUp('True');
    await seen('n1');
    await seen('n2');
    keys.length = 0;
    await clients.resource<LeaseObject>(LEASES).create('kube-node-lease', { metadata: { name: 'n2', namespace: 'kube-node-lease' }, spec: {} });
    await seen('n2');
    assert.deepEqual(keys, ['n2']);
  });

  it('pods enqueue their node only when it is unhealthy or NoExecute-tainted, and are indexed by node', async () => {
    const { clients, informers, keys, seen } = await setUp('Unknown');
    await seen('n1');
    keys.length = 0;
    const pods = clients.resource<PodObject>(PODS);
    await pods.create('default', { metadata: { name: 'on-healthy' }, spec: { nodeName: 'n2', containers: [] } });
    await pods.create('default', { metadata: { name: 'on-lost' }, spec: { nodeName: 'n1', containers: [] } });
    await seen('n1');
    assert.deepEqual(keys, ['n1']);
    const indexed = informers.informerFor<PodObject>(PODS).lister.byIndex(PODS_BY_NODE_INDEX, 'n1');
    assert.deepEqual(indexed.map((pod) => pod.metadata?.name), ['on-lost']);
  });
});

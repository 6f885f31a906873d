import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { SharedInformerFactory } from '../../client/informer/shared-informer-factory.js';
import { ENDPOINTSLICES, GATEWAY_CLASSES, GATEWAYS, HTTP_ROUTES, PODS, SERVICES } from '../../client/resource-types.js';
import { silentLogger } from '../../lib/logger.js';
import { GatewayControl } from './gateway-control.js';
import type { RouteTable } from './route-table.js';

function tableWaiter(): { onTable: (t: RouteTable) => void; next: (pred: (t: RouteTable) => boolean) => Promise<RouteTable>; all: RouteTable[] } {
  const all: RouteTable[] = [];
  const waiters: { pred: (t: RouteTable) => boolean; resolve: (t: RouteTable) => void }[] = [];
  return {
    all,
    onTable: (t) => {
      all.push(t);
      for (const w of [...waiters]) {
        if (w.pred(t)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(t);
        }
      }
    },
    next: (pred) => {
      const found = all.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ pred, resolve }));
    },
  };
}

const ns = 'default';

// Informer retries and the debounce use unref'd timers; keep the test's event loop alive meanwhile.
const keepAlive = setInterval(() => undefined, 1000);
test.after(() => clearInterval(keepAlive));

test('publishes a table after sync and recompiles (debounced) on route, slice and pod-label changes only', async () => {
  const clients = new FakeClientSet();
  clients.seed(GATEWAY_CLASSES, { metadata: { name: 'k8ts' }, spec: { controllerName: 'k8ts.io/gateway-controller' } });
  clients.seed(GATEWAYS, { metadata: { namespace: ns, name: 'gw' }, spec: { gatewayClassName: 'k8ts', listeners: [{ name: 'http', port: 8080, protocol: 'HTTP' }] } });
  clients.seed(SERVICES, { metadata: { namespace: ns, name: 'web' }, spec: { ports: [{ port: 80 }] } });
  clients.seed(PODS, { metadata: { namespace: ns, name: 'p1', labels: { 'pod-template-hash': 'h1' } }, spec: { containers: [] } });
  const informers = new SharedInformerFactory({ clients });
  const waiter = tableWaiter();
  const control = new GatewayControl({ informers, onTable: waiter.onTable, logger: silentLogger(), debounceMs: 5 });
  const ac = new AbortController();
  try {
    await control.start(ac.signal);
    const first = await waiter.next(() => true);
    assert.equal(first.version, 1);
    assert.deepEqual(first.listeners, [{ port: 8080, rules: [] }]);

    await clients.resource(HTTP_ROUTES).create(ns, {
      metadata: { namespace: ns, name: 'r' },
      spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
    });
    const withRoute = await waiter.next((t) => (t.listeners[0]?.rules.length ?? 0) > 0);
    assert.equal(withRoute.listeners[0]?.rules[0]?.backends[0]?.endpoints.length, 0);

    await clients.resource(ENDPOINTSLICES).create(ns, {
      metadata: { namespace: ns, name: 'web-x', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      ports: [{ name: '', port: 8080, protocol: 'TCP' }],
      endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true }, targetRef: { kind: 'Pod', namespace: ns, name: 'p1' } }],
    });
    const withEndpoint = await waiter.next((t) => t.listeners[0]?.rules[0]?.backends[0]?.endpoints.length === 1);
    assert.equal(withEndpoint.listeners[0]?.rules[0]?.backends[0]?.endpoints[0]?.revision, 'h1');
    assert.ok(withEndpoint.version > withRoute.version);

    // A status-only pod change does not recompile; a label change does.
    const count = waiter.all.length;
    const pods = clients.resource(PODS);
    const p1 = await pods.get(ns, 'p1');
    await pods.updateStatus(ns, { ...p1, status: { phase: 'Running' } });
    const p1b = await pods.get(ns, 'p1');
    await pods.update(ns, { ...p1b, metadata: { ...p1b.metadata, labels: { 'pod-template-hash': 'h2' } } });
    const relabeled = await waiter.next((t) => t.listeners[0]?.rules[0]?.backends[0]?.endpoints[0]?.revision === 'h2');
    assert.equal(waiter.all.length, count + 1, 'one table for the label change, none for the status change');
    assert.equal(control.current(), relabeled);
  } finally {
    ac.abort();
  }
});

test('an unchanged compile publishes nothing', async () => {
  const clients = new FakeClientSet();
  const informers = new SharedInformerFactory({ clients });
  const waiter = tableWaiter();
  const control = new GatewayControl({ informers, onTable: waiter.onTable, logger: silentLogger(), debounceMs: 5 });
  const ac = new AbortController();
  try {
    await control.start(ac.signal);
    control.recompile();
    control.recompile();
    assert.equal(waiter.all.length, 1);
    assert.deepEqual(waiter.all[0], { version: 1, listeners: [] });
  } finally {
    ac.abort();
  }
});

test('a pod without a revision label (not in the table input) schedules no recompile; one with it does', async () => {
  const clients = new FakeClientSet();
  const informers = new SharedInformerFactory({ clients });
  let scheduled = 0;
  const timers = { schedule: (ms: number, callback: () => void) => {
    scheduled++;
    const handle = setTimeout(callback, ms);
    return () => clearTimeout(handle);
  } };
  const control = new GatewayControl({ informers, onTable: () => undefined, logger: silentLogger(), debounceMs: 5, timers });
  const ac = new AbortController();
  const pods = clients.resource(PODS);
  const podLister = informers.informerFor(PODS).lister;
  const seen = async (name: string, present: boolean) => {
    while ((podLister.get(ns, name) !== undefined) !== present) await new Promise((resolve) => setTimeout(resolve, 2));
    // Handlers run before or with the cache update; one more turn lets any debounce be scheduled.
    await new Promise((resolve) => setTimeout(resolve, 2));
  };
  try {
    await control.start(ac.signal);
    const before = scheduled;
    await pods.create(ns, { metadata: { namespace: ns, name: 'plain', labels: { app: 'x' } }, spec: { containers: [] } });
    await seen('plain', true);
    await pods.delete(ns, 'plain');
    await seen('plain', false);
    assert.equal(scheduled, before, 'no recompile for a pod without a revision label');
    await pods.create(ns, { metadata: { namespace: ns, name: 'versioned', labels: { 'pod-template-hash': 'h1' } }, spec: { containers: [] } });
    await seen('versioned', true);
    assert.equal(scheduled, before + 1);
  } finally {
    ac.abort();
  }
});

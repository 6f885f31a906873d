import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Condition } from 'kubernetes-types/meta/v1.js';
import type { Gateway, GatewayClass, HTTPRoute } from '../../api/gateway/index.js';
import { defaultGateway } from '../../api/gateway/gateway-defaults.js';
import { defaultHTTPRoute } from '../../api/gateway/http-route-defaults.js';
import type { KubeObject } from '../../api/object.js';
import { GATEWAY_CLASSES, GATEWAYS, HTTP_ROUTES, NAMESPACES, REFERENCE_GRANTS, SERVICES } from '../../client/resource-types.js';
import { ControllerHarness } from '../framework/controller-harness.fixture.js';
import { createGatewayStatusController } from './gateway-status-controller.js';
import type { BindFailures, ListenerHealth } from './listener-health.js';

type Obj = KubeObject;

function httpRoute(namespace: string, name: string, spec: Record<string, unknown>): Obj {
  const obj: Obj = { metadata: { namespace, name }, spec };
  defaultHTTPRoute(obj);
  delete obj.status;
  return obj;
}

function gatewayObj(namespace: string, name: string, className: string, listeners: unknown[]): Obj {
  const obj: Obj = { metadata: { namespace, name }, spec: { gatewayClassName: className, listeners } };
  defaultGateway(obj);
  delete obj.status;
  return obj;
}

const byType = (conditions: readonly Condition[] | undefined, type: string): string =>
  ((c) => (c ? `${c.status}/${c.reason}` : 'none'))(conditions?.find((x) => x.type === type));

void describe('gateway status controller', () => {
  let h: ControllerHarness;
  const get = async <T>(type: typeof GATEWAYS, namespace: string | undefined, name: string): Promise<T> =>
    (await h.clients.resource(type).get(namespace, name)) as unknown as T;
  const routeStatus = async (namespace: string, name: string) => (await get<HTTPRoute>(HTTP_ROUTES, namespace, name)).status?.parents ?? [];

  beforeEach(async () => {
    h = new ControllerHarness(createGatewayStatusController({ gatewayAddress: '127.0.0.9' }));
    const c = h.clients;
    await c.resource(NAMESPACES).create(undefined, { metadata: { name: 'default' } });
    await c.resource(NAMESPACES).create(undefined, { metadata: { name: 'team-a', labels: { shared: 'yes' } } });
    await c.resource(NAMESPACES).create(undefined, { metadata: { name: 'team-b' } });
    await c.resource(GATEWAY_CLASSES).create(undefined, { metadata: { name: 'k8ts' }, spec: { controllerName: 'k8ts.io/gateway-controller' } });
    await c.resource(GATEWAY_CLASSES).create(undefined, { metadata: { name: 'other' }, spec: { controllerName: 'example.com/other' } });
    await c.resource(SERVICES).create('default', { metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } });
    await c.resource(GATEWAYS).create('default', gatewayObj('default', 'gw', 'k8ts', [
      { name: 'http', protocol: 'HTTP', port: 8080 },
      { name: 'shared', protocol: 'HTTP', port: 8081, hostname: '*.example.com',
        allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { shared: 'yes' } } } } },
      { name: 'tcp', protocol: 'TCP', port: 9000 },
    ]));
    await c.resource(GATEWAYS).create('default', gatewayObj('default', 'foreign', 'other', [{ name: 'http', protocol: 'HTTP', port: 80 }]));
    await h.start();
  });

  afterEach(() => h.stop());

  void it('accepts its own GatewayClass and leaves other controllers\' classes alone', async () => {
    await h.drain();
    const ours = await get<GatewayClass>(GATEWAY_CLASSES, undefined, 'k8ts');
    assert.equal(byType(ours.status?.conditions, 'Accepted'), 'True/Accepted');
    assert.equal((await get<GatewayClass>(GATEWAY_CLASSES, undefined, 'other')).status, undefined);
    assert.equal((await get<Gateway>(GATEWAYS, 'default', 'foreign')).status, undefined);
  });

  void it('programs the Gateway on the gateway address and reports each listener', async () => {
    await h.drain();
    const gw = await get<Gateway>(GATEWAYS, 'default', 'gw');
    assert.deepEqual(gw.status?.addresses, [{ type: 'IPAddress', value: '127.0.0.9' }]);
    // One listener (TCP) is not supported: the Gateway is accepted with ListenersNotValid.
    assert.equal(byType(gw.status?.conditions, 'Accepted'), 'True/ListenersNotValid');
    assert.equal(byType(gw.status?.conditions, 'Programmed'), 'True/Programmed');
    const [http, , tcp] = gw.status?.listeners ?? [];
    assert.equal(byType(http?.conditions, 'Programmed'), 'True/Programmed');
    assert.equal(byType(tcp?.conditions, 'Accepted'), 'False/UnsupportedProtocol');
    assert.deepEqual(tcp?.supportedKinds, []);
  });

  void it('attaches routes, counts them per listener and reports why a parentRef does not attach', async () => {
    const c = h.clients.resource(HTTP_ROUTES);
    await c.create('default', httpRoute('default', 'ok', { parentRefs: [{ name: 'gw', sectionName: 'http' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] }));
    await c.create('default', httpRoute('default', 'nomatch', { parentRefs: [{ name: 'gw', sectionName: 'nope' }] }));
    await c.create('team-b', httpRoute('team-b', 'foreign-ns', { parentRefs: [{ name: 'gw', namespace: 'default' }] }));
    await c.create('team-a', httpRoute('team-a', 'wrong-host', { parentRefs: [{ name: 'gw', namespace: 'default', sectionName: 'shared' }], hostnames: ['foo.example.org'] }));
    await c.create('team-a', httpRoute('team-a', 'shared', { parentRefs: [{ name: 'gw', namespace: 'default' }], hostnames: ['a.example.com'] }));
    await c.create('default', httpRoute('default', 'elsewhere', { parentRefs: [{ name: 'foreign' }] }));
    await h.drain();

    const accepted = async (ns: string, name: string) => byType((await routeStatus(ns, name))[0]?.conditions, 'Accepted');
    assert.equal(await accepted('default', 'ok'), 'True/Accepted');
    assert.equal(await accepted('default', 'nomatch'), 'False/NoMatchingParent');
    assert.equal(await accepted('team-b', 'foreign-ns'), 'False/NotAllowedByListeners');
    assert.equal(await accepted('team-a', 'wrong-host'), 'False/NoMatchingListenerHostname');
    assert.equal(await accepted('team-a', 'shared'), 'True/Accepted');
    assert.deepEqual(await routeStatus('default', 'elsewhere'), [], 'a Gateway of another class is not ours to report on');
    const ok = (await routeStatus('default', 'ok'))[0];
    assert.equal(ok?.controllerName, 'k8ts.io/gateway-controller');
    assert.deepEqual(ok?.parentRef, { name: 'gw', sectionName: 'http', group: 'gateway.networking.k8s.io', kind: 'Gateway' });

    const listeners = (await get<Gateway>(GATEWAYS, 'default', 'gw')).status?.listeners ?? [];
    assert.deepEqual(listeners.map((l) => [l.name, l.attachedRoutes]), [['http', 1], ['shared', 1], ['tcp', 0]]);

    await c.delete('default', 'ok');
    await h.drain();
    const after = (await get<Gateway>(GATEWAYS, 'default', 'gw')).status?.listeners ?? [];
    assert.equal(after[0]?.attachedRoutes, 0);
  });

  void it('resolves backendRefs: BackendNotFound, InvalidKind, RefNotPermitted until a ReferenceGrant allows it', async () => {
    const c = h.clients.resource(HTTP_ROUTES);
    const resolved = async (ns: string, name: string) => byType((await routeStatus(ns, name))[0]?.conditions, 'ResolvedRefs');
    await c.create('default', httpRoute('default', 'missing', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'nope', port: 80 }] }] }));
    await c.create('default', httpRoute('default', 'kind', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'b', group: 'example.com', kind: 'Bucket' }] }] }));
    await h.clients.resource(SERVICES).create('team-a', { metadata: { name: 'api' }, spec: { ports: [{ port: 80 }] } });
    await c.create('default', httpRoute('default', 'cross', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'api', namespace: 'team-a', port: 80 }] }] }));
    await h.drain();
    assert.equal(await resolved('default', 'missing'), 'False/BackendNotFound');
    assert.equal(await resolved('default', 'kind'), 'False/InvalidKind');
    assert.equal(await resolved('default', 'cross'), 'False/RefNotPermitted');
    const before = (await routeStatus('default', 'missing'))[0]?.conditions.find((x) => x.type === 'Accepted')?.lastTransitionTime;

    h.clock.advance(60_000);
    await h.clients.resource(REFERENCE_GRANTS).create('team-a', {
      metadata: { name: 'from-default' },
      spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'default' }], to: [{ group: '', kind: 'Service' }] },
    });
    await h.clients.resource(SERVICES).create('default', { metadata: { name: 'nope' }, spec: { ports: [{ port: 80 }] } });
    await h.drain();
    assert.equal(await resolved('default', 'cross'), 'True/ResolvedRefs');
    assert.equal(await resolved('default', 'missing'), 'True/ResolvedRefs');
    const accepted = (await routeStatus('default', 'missing'))[0]?.conditions.find((x) => x.type === 'Accepted');
    assert.equal(accepted?.lastTransitionTime, before, 'an unchanged condition keeps its transition time');
  });

  void it('keeps the status entries other controllers wrote', async () => {
    const c = h.clients.resource(HTTP_ROUTES);
    const created = await c.create('default', httpRoute('default', 'two', { parentRefs: [{ name: 'gw' }, { name: 'foreign' }] }));
    const theirs = {
      parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'foreign' }, controllerName: 'example.com/other',
      conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: '', lastTransitionTime: '2020-01-01T00:00:00Z' }],
    };
    await c.updateStatus('default', { ...created, status: { parents: [theirs] } });
    await h.drain();
    const parents = await routeStatus('default', 'two');
    assert.deepEqual(parents.map((p) => p.controllerName), ['example.com/other', 'k8ts.io/gateway-controller']);
    assert.deepEqual(parents[0], theirs);
  });
});

// A data plane in the same process whose bind failures change: the controller requeues the
// Gateways listening on a changed port, whose status follows.
class FakeListenerHealth implements ListenerHealth {
  failures: BindFailures = new Map();
  readonly listeners = new Set<() => void>();
  bindFailures(): BindFailures {
    return this.failures;
  }
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(failures: BindFailures): void {
    this.failures = failures;
    for (const listener of this.listeners) listener();
  }
}

void describe('gateway status controller with a data plane', () => {
  let h: ControllerHarness;
  let health: FakeListenerHealth;
  const gateway = async (name: string) => (await h.clients.resource(GATEWAYS).get('default', name)) as unknown as Gateway;

  beforeEach(async () => {
    health = new FakeListenerHealth();
    h = new ControllerHarness(createGatewayStatusController({ gatewayAddress: '127.0.0.9', listenerHealth: health }));
    await h.clients.resource(NAMESPACES).create(undefined, { metadata: { name: 'default' } });
    await h.clients.resource(GATEWAY_CLASSES).create(undefined, { metadata: { name: 'k8ts' }, spec: { controllerName: 'k8ts.io/gateway-controller' } });
    await h.clients.resource(GATEWAYS).create('default', gatewayObj('default', 'held', 'k8ts', [{ name: 'http', protocol: 'HTTP', port: 8080 }]));
    await h.clients.resource(GATEWAYS).create('default', gatewayObj('default', 'free', 'k8ts', [{ name: 'http', protocol: 'HTTP', port: 8090 }]));
    await h.start();
    await h.drain();
  });
  afterEach(() => h.stop());

  void it('requeues the Gateways on a port whose bind failed, and again when it binds', async () => {
    assert.equal(byType((await gateway('held')).status?.conditions, 'Programmed'), 'True/Programmed');
    h.clock.advance(5_000);
    health.set(new Map([[8080, 'EADDRINUSE']]));
    assert.deepEqual(h.keys, ['gateway:default/held'], 'only the Gateway listening on the changed port');
    await h.drain();
    const held = await gateway('held');
    assert.equal(byType(held.status?.conditions, 'Programmed'), 'False/Pending');
    const listener = held.status?.listeners?.[0]?.conditions.find((c) => c.type === 'Programmed');
    assert.equal(listener?.message, 'cannot listen on 127.0.0.9:8080: EADDRINUSE (another program listens on that port)');
    assert.equal(byType((await gateway('free')).status?.conditions, 'Programmed'), 'True/Programmed');

    health.set(new Map());
    assert.deepEqual(h.keys, ['gateway:default/held']);
    await h.drain();
    assert.equal(byType((await gateway('held')).status?.conditions, 'Programmed'), 'True/Programmed');
    assert.equal(byType((await gateway('held')).status?.listeners?.[0]?.conditions, 'Programmed'), 'True/Programmed');
  });

  void it('unsubscribes from the data plane when its leadership term ends', () => {
    assert.equal(health.listeners.size, 1);
    h.stop();
    assert.equal(health.listeners.size, 0, 'a later term subscribes anew; this one must not stay behind');
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { HTTP_ROUTES } from '../../client/resource-types.js';
import { GatewayApiRouter, headerMatchFor, MANAGED_ROUTES_ANNOTATION, type HTTPRouteObject } from './gateway-api-router.js';
import { selectTrafficRouter } from './select-traffic-router.js';
import { TrafficRoutingError } from './traffic-routing-error.js';

const targets = { namespace: 'default', stableService: 'stable', canaryService: 'canary' };

async function setup(rules: NonNullable<HTTPRouteObject['spec']['rules']>): Promise<{ clients: FakeClientSet; router: GatewayApiRouter; get: () => Promise<HTTPRouteObject> }> {
  const clients = new FakeClientSet();
  const routes = clients.resource<HTTPRouteObject>(HTTP_ROUTES);
  await routes.create('default', { metadata: { name: 'r', namespace: 'default' }, spec: { rules } });
  return { clients, router: new GatewayApiRouter({ clients, routes: ['r'] }), get: () => routes.get('default', 'r') };
}

describe('GatewayApiRouter', () => {
  it('sets canary/stable weights on every rule with both backends, once', async () => {
    const { clients, router, get } = await setup([
      { backendRefs: [{ name: 'stable', port: 80 }, { name: 'canary', port: 80 }] },
      { matches: [{ path: { value: '/other' } }], backendRefs: [{ name: 'other', port: 80 }] },
    ]);
    await router.setWeight(30, targets);
    const route = await get();
    assert.deepEqual(route.spec.rules?.[0]?.backendRefs?.map((b) => b.weight), [70, 30]);
    assert.equal(route.spec.rules?.[1]?.backendRefs?.[0]?.weight, undefined);
    const writes = clients.actions.length;
    await router.setWeight(30, targets);
    assert.equal(clients.actions.length, writes, 'no write when nothing changes');
    assert.equal(await router.verifyWeight(30, targets), true);
    assert.equal(await router.verifyWeight(40, targets), false);
  });

  it('weights are out of targets.maxWeight (maxTrafficWeight)', async () => {
    const { router, get } = await setup([{ backendRefs: [{ name: 'stable', port: 80 }, { name: 'canary', port: 80 }] }]);
    await router.setWeight(5, { ...targets, maxWeight: 1000 });
    assert.deepEqual((await get()).spec.rules?.[0]?.backendRefs?.map((b) => b.weight), [995, 5]);
    await router.setWeight(5000, { ...targets, maxWeight: 1000 });
    assert.deepEqual((await get()).spec.rules?.[0]?.backendRefs?.map((b) => b.weight), [0, 1000], 'clamped to the maximum');
  });

  it('a route without both backends is a TrafficRoutingError', async () => {
    const { router } = await setup([{ backendRefs: [{ name: 'stable', port: 80 }] }]);
    await assert.rejects(router.setWeight(10, targets), TrafficRoutingError);
  });

  it('header routes go on top, are named, and are removed again', async () => {
    const { router, get } = await setup([{ matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'stable', port: 80 }, { name: 'canary', port: 80 }] }]);
    await router.setHeaderRoute({ name: 'beta', match: [{ headerName: 'x-user', headerValue: { prefix: 'qa.' } }] }, targets);
    let route = await get();
    assert.equal(route.spec.rules?.length, 2);
    const rule = route.spec.rules?.[0];
    assert.equal(rule?.name, 'beta');
    assert.deepEqual(rule?.matches, [{ path: { type: 'PathPrefix', value: '/api' }, headers: [{ type: 'RegularExpression', name: 'x-user', value: '^qa\\..*' }] }]);
    assert.deepEqual(rule?.backendRefs, [{ name: 'canary', port: 80, weight: 1 }]);
    assert.equal(route.metadata?.annotations?.[MANAGED_ROUTES_ANNOTATION], 'beta');
    await router.setWeight(50, targets); // the managed rule keeps its single canary backend
    await router.removeManagedRoutes(targets);
    route = await get();
    assert.equal(route.spec.rules?.length, 1);
    assert.deepEqual(route.spec.rules?.[0]?.backendRefs?.map((b) => b.weight), [50, 50]);
    assert.equal(route.metadata?.annotations?.[MANAGED_ROUTES_ANNOTATION], undefined);
  });

  it('maps Argo header values', () => {
    assert.deepEqual(headerMatchFor({ headerName: 'h', headerValue: { exact: 'a' } }), { type: 'Exact', name: 'h', value: 'a' });
    assert.deepEqual(headerMatchFor({ headerName: 'h', headerValue: { regex: 'a.*' } }), { type: 'RegularExpression', name: 'h', value: 'a.*' });
  });

  it('selectTrafficRouter: plugin config, none, unsupported', () => {
    const clients = new FakeClientSet();
    assert.equal(selectTrafficRouter(undefined, clients).type, 'replicaRatio');
    assert.equal(selectTrafficRouter({ plugins: { 'argoproj-labs/gatewayAPI': { httpRoutes: [{ name: 'a' }] } } }, clients).type, 'gatewayAPI');
    assert.throws(() => selectTrafficRouter({ istio: {} }, clients), TrafficRoutingError);
  });
});

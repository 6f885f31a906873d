import assert from 'node:assert/strict';
import { it } from 'node:test';
import { gatewayApiRoutes } from './gateway-api-plugin.js';
import type { Rollout } from './index.js';

const withPlugins = (plugins: Record<string, unknown> | undefined): Rollout => ({
  metadata: { name: 'web', namespace: 'shop' },
  spec: { strategy: { canary: { trafficRouting: plugins === undefined ? {} : { plugins } } } },
});

void it('reads the Gateway API plugin shape Argo users write', () => {
  assert.deepEqual(gatewayApiRoutes(withPlugins({ 'argoproj-labs/gatewayAPI': { httpRoute: 'r1', namespace: 'edge' } })), {
    namespace: 'edge', routes: [{ name: 'r1' }],
  });
  assert.deepEqual(gatewayApiRoutes(withPlugins({ 'argoproj-labs/gatewayAPI': { httpRoute: 'r1', httpRoutes: [{ name: 'r2', useHeaderRoutes: true }, { nope: 1 }] } })), {
    namespace: 'shop', routes: [{ name: 'r1' }, { name: 'r2', useHeaderRoutes: true }],
  });
});

void it('answers undefined without the plugin or a route', () => {
  assert.equal(gatewayApiRoutes(withPlugins(undefined)), undefined);
  assert.equal(gatewayApiRoutes(withPlugins({ 'other/plugin': { httpRoute: 'r' } })), undefined);
  assert.equal(gatewayApiRoutes(withPlugins({ 'argoproj-labs/gatewayAPI': { namespace: 'x' } })), undefined);
  assert.equal(gatewayApiRoutes(withPlugins({ 'argoproj-labs/gatewayAPI': 'r' })), undefined);
});

// The traffic-router configuration k8ts reads from a canary Rollout: Argo's Gateway API plugin
// (argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi) shape, so Argo users' manifests work
// unchanged:
//
//   trafficRouting:
//     plugins:
//       argoproj-labs/gatewayAPI:
//         httpRoute: my-route        # or httpRoutes: [{name: my-route}]
//         namespace: default         # optional, the Rollout's namespace otherwise
//
// The schema keeps `plugins` opaque (as Argo's CRD does); this file types the one entry k8ts
// implements and reads it defensively. Not read by the schema generator.
import type { Rollout } from './v1alpha1/rollout.js';

/** The plugin name under spec.strategy.canary.trafficRouting.plugins that k8ts implements. */
export const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

/** One route of `httpRoutes` (the plugin's HTTPRoute entry). */
export interface GatewayAPIRouteRef {
  name: string;
  /** Whether setHeaderRoute steps add their header routes to this route. */
  useHeaderRoutes?: boolean;
}

/** The plugin's configuration (GatewayAPITrafficRouting); k8ts uses httpRoute(s) and namespace. */
export interface GatewayAPITrafficRouting {
  httpRoute?: string;
  httpRoutes?: GatewayAPIRouteRef[];
  namespace?: string;
  /** Accepted for compatibility; k8ts keeps no ConfigMap of managed routes. */
  configMap?: string;
  grpcRoute?: string;
  tcpRoute?: string;
  tlsRoute?: string;
  [other: string]: unknown;
}

/** The HTTPRoutes a canary Rollout routes through the gateway. */
export interface GatewayAPIRoutes {
  /** The routes' namespace: the plugin's `namespace`, else the Rollout's. */
  namespace: string;
  /** Route names in order: `httpRoute` first, then `httpRoutes`; never empty. */
  routes: GatewayAPIRouteRef[];
}

/** The plugin configuration of a Rollout, or undefined when it has none (or it is not an object). */
export function gatewayApiPluginConfig(rollout: Rollout): GatewayAPITrafficRouting | undefined {
  const config = rollout.spec.strategy?.canary?.trafficRouting?.plugins?.[GATEWAY_API_PLUGIN];
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return undefined;
  return config as GatewayAPITrafficRouting;
}

/**
 * The HTTPRoutes to shift weights on, or undefined when the Rollout does not use the plugin or
 * names no HTTPRoute (validation rejects such a config at admission, see rollout-validation.ts).
 */
export function gatewayApiRoutes(rollout: Rollout): GatewayAPIRoutes | undefined {
  const config = gatewayApiPluginConfig(rollout);
  if (config === undefined) return undefined;
  const routes: GatewayAPIRouteRef[] = [];
  if (typeof config.httpRoute === 'string' && config.httpRoute !== '') routes.push({ name: config.httpRoute });
  for (const entry of Array.isArray(config.httpRoutes) ? config.httpRoutes : []) {
    if (entry !== null && typeof entry === 'object' && typeof entry.name === 'string' && entry.name !== '') {
      routes.push(entry.useHeaderRoutes === true ? { name: entry.name, useHeaderRoutes: true } : { name: entry.name });
    }
  }
  if (routes.length === 0) return undefined;
  const namespace = typeof config.namespace === 'string' && config.namespace !== '' ? config.namespace : (rollout.metadata?.namespace ?? 'default');
  return { namespace, routes };
}

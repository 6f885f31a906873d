// Picks the TrafficRouter of a canary from its trafficRouting: the Gateway API plugin config
// (Argo's `argoproj-labs/gatewayAPI`) means the built-in gateway; no trafficRouting means replica
// ratio. Other routers (istio, nginx, ...) are not supported: a TrafficRoutingError says so.
import type { ClientSet } from '../../client/resource-client.js';
import { GatewayApiRouter } from './gateway-api-router.js';
import { ReplicaRatioRouter } from './replica-ratio-router.js';
import type { TrafficRouter } from './traffic-router.js';
import { TrafficRoutingError } from './traffic-routing-error.js';

export const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The route names of a Gateway API plugin config: `httpRoute` and every `httpRoutes[].name`. */
export function gatewayApiRoutes(config: unknown): { routes: string[]; namespace?: string } {
  if (!isRecord(config)) return { routes: [] };
  const routes: string[] = [];
  if (typeof config.httpRoute === 'string' && config.httpRoute !== '') routes.push(config.httpRoute);
  if (Array.isArray(config.httpRoutes)) {
    for (const entry of config.httpRoutes) if (isRecord(entry) && typeof entry.name === 'string') routes.push(entry.name);
  }
  return typeof config.namespace === 'string' && config.namespace !== '' ? { routes, namespace: config.namespace } : { routes };
}

/** Routing fields that are not routers. */
const NOT_ROUTERS = new Set(['managedRoutes', 'plugins', 'maxTrafficWeight']);

/** A Rollout's spec.strategy.canary.trafficRouting (any shape: the served type, or a plain record in tests). */
export type TrafficRoutingSpec = { readonly plugins?: Record<string, unknown> } | Readonly<Record<string, unknown>>;

export function selectTrafficRouter(trafficRouting: TrafficRoutingSpec | undefined, clients: ClientSet): TrafficRouter {
  if (trafficRouting === undefined) return new ReplicaRatioRouter();
  const plugins = isRecord(trafficRouting.plugins) ? trafficRouting.plugins : {};
  const config = plugins[GATEWAY_API_PLUGIN];
  if (config !== undefined) {
    const { routes, namespace } = gatewayApiRoutes(config);
    return new GatewayApiRouter({ clients, routes, ...(namespace !== undefined ? { namespace } : {}) });
  }
  const kinds = Object.keys(trafficRouting).filter((k) => !NOT_ROUTERS.has(k));
  const named = [...kinds, ...Object.keys(plugins).map((p) => `plugins.${p}`)].join(', ') || 'none';
  throw new TrafficRoutingError(`unsupported trafficRouting (${named}): k8ts routes through the "${GATEWAY_API_PLUGIN}" plugin only`);
}

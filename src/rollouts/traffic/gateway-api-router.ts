// The TrafficRouter for the built-in gateway, configured like Argo's Gateway API plugin:
//
//   trafficRouting:
//     plugins:
//       argoproj-labs/gatewayAPI: {httpRoute: web-route, namespace: default}   # or httpRoutes: [{name}]
//
// setWeight edits every rule of those HTTPRoutes that lists both the stable and the canary
// Service: canary gets `w`, stable `max - w` (max: the rollout's maxTrafficWeight, default 100; the
// gateway treats weights as proportions, so 5/995 is 0.5%). setHeaderRoute puts, above all other rules, a copy of
// each such rule whose matches also require the header and whose only backend is the canary;
// those rules carry the step's name and are listed in an annotation so removeManagedRoutes finds
// them again. Sticky cohorts need nothing here: with `gateway.k8ts.io/cohort-key` on the route the
// gateway keeps each user in a bucket range while the weights move (stable must be listed before
// canary, as users grow into the canary's range from the end).
import type { HTTPHeaderMatch, HTTPRoute, HTTPRouteMatch, HTTPRouteRule } from '../../api/gateway/v1/http-route.js';
import type { KubeObject } from '../../api/object.js';
import type { ClientSet, ResourceClient } from '../../client/resource-client.js';
import { HTTP_ROUTES } from '../../client/resource-types.js';
import { NotFoundError } from '../../lib/errors.js';
import type { HeaderRoute, TrafficRouter, TrafficTargets } from './traffic-router.js';
import { TrafficRoutingError } from './traffic-routing-error.js';

export type HTTPRouteObject = HTTPRoute & KubeObject;

/** Names the header rules this router added to a route (comma separated). */
export const MANAGED_ROUTES_ANNOTATION = 'rollouts.k8ts.io/managed-routes';

export interface GatewayApiRouterOptions {
  readonly clients: ClientSet;
  /** Route names from the plugin config (httpRoute, or every httpRoutes[].name). */
  readonly routes: readonly string[];
  /** The plugin's `namespace`; default: the rollout's. */
  readonly namespace?: string;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Argo's headerValue {exact|regex|prefix} as a Gateway API header match. */
export function headerMatchFor(match: NonNullable<HeaderRoute['match']>[number]): HTTPHeaderMatch {
  const value = match.headerValue;
  if (value.exact !== undefined) return { type: 'Exact', name: match.headerName, value: value.exact };
  if (value.regex !== undefined) return { type: 'RegularExpression', name: match.headerName, value: value.regex };
  return { type: 'RegularExpression', name: match.headerName, value: `^${escapeRegex(value.prefix ?? '')}.*` };
}

function managedNames(route: HTTPRouteObject): string[] {
  const text = route.metadata?.annotations?.[MANAGED_ROUTES_ANNOTATION] ?? '';
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function setManagedNames(route: HTTPRouteObject, names: readonly string[]): void {
  const metadata = (route.metadata ??= {});
  const annotations = { ...(metadata.annotations ?? {}) };
  if (names.length === 0) delete annotations[MANAGED_ROUTES_ANNOTATION];
  else annotations[MANAGED_ROUTES_ANNOTATION] = names.join(',');
  metadata.annotations = annotations;
}

export class GatewayApiRouter implements TrafficRouter {
  readonly type = 'gatewayAPI';
  readonly routesTraffic = true;
  private readonly client: ResourceClient<HTTPRouteObject>;
  private readonly routes: readonly string[];
  private readonly namespace: string | undefined;

  constructor(options: GatewayApiRouterOptions) {
    this.client = options.clients.resource<HTTPRouteObject>(HTTP_ROUTES);
    this.routes = options.routes;
    this.namespace = options.namespace;
  }

  async setWeight(canaryWeight: number, targets: TrafficTargets): Promise<void> {
    const max = targets.maxWeight ?? 100;
    const weight = Math.max(0, Math.min(max, Math.round(canaryWeight)));
    await this.editRoutes(targets, (route) => {
      let found = false;
      let changed = false;
      for (const rule of route.spec.rules ?? []) {
        if (this.isManaged(route, rule)) continue;
        const stable = this.backendOf(rule, targets.stableService, route, targets);
        const canary = this.backendOf(rule, targets.canaryService, route, targets);
        if (!stable || !canary) continue;
        found = true;
        if (canary.weight !== weight || stable.weight !== max - weight) changed = true;
        canary.weight = weight;
        stable.weight = max - weight;
      }
      if (!found) {
        throw new TrafficRoutingError(
          `HTTPRoute "${route.metadata?.name ?? ''}" has no rule with backendRefs to both "${targets.stableService}" and "${targets.canaryService}"`,
        );
      }
      return changed;
    });
  }

  async setHeaderRoute(headerRoute: HeaderRoute, targets: TrafficTargets): Promise<void> {
    await this.editRoutes(targets, (route) => {
      const rules = route.spec.rules ?? [];
      const names = managedNames(route);
      const before = JSON.stringify(rules);
      const kept = rules.filter((rule) => !(rule.name === headerRoute.name && names.includes(headerRoute.name)));
      const added: HTTPRouteRule[] = [];
      if (headerRoute.match !== undefined && headerRoute.match.length > 0) {
        const headers = headerRoute.match.map(headerMatchFor);
        for (const rule of kept) {
          if (this.isManaged(route, rule)) continue;
          const canary = this.backendOf(rule, targets.canaryService, route, targets);
          if (!canary || !this.backendOf(rule, targets.stableService, route, targets)) continue;
          const matches: HTTPRouteMatch[] = (rule.matches ?? [{}]).map((m) => ({ ...m, headers: [...(m.headers ?? []), ...headers] }));
          const copy: HTTPRouteRule = { ...structuredClone(rule), name: headerRoute.name, matches, backendRefs: [{ ...canary, weight: 1 }] };
          added.push(copy);
          break;
        }
      }
      route.spec.rules = [...added, ...kept];
      const nextNames = names.filter((n) => n !== headerRoute.name);
      if (added.length > 0) nextNames.push(headerRoute.name);
      const namesChanged = nextNames.join(',') !== names.join(',');
      setManagedNames(route, nextNames);
      return namesChanged || JSON.stringify(route.spec.rules) !== before;
    });
  }

  async removeManagedRoutes(targets: TrafficTargets): Promise<void> {
    await this.editRoutes(targets, (route) => {
      const names = managedNames(route);
      if (names.length === 0) return false;
      route.spec.rules = (route.spec.rules ?? []).filter((rule) => !(rule.name !== undefined && names.includes(rule.name)));
      setManagedNames(route, []);
      return true;
    });
  }

  async verifyWeight(canaryWeight: number, targets: TrafficTargets): Promise<boolean> {
    for (const name of this.routes) {
      const route = await this.client.get(this.namespace ?? targets.namespace, name);
      for (const rule of route.spec.rules ?? []) {
        if (this.isManaged(route, rule)) continue;
        const canary = this.backendOf(rule, targets.canaryService, route, targets);
        if (canary && this.backendOf(rule, targets.stableService, route, targets) && canary.weight !== canaryWeight) return false;
      }
    }
    return true;
  }

  private isManaged(route: HTTPRouteObject, rule: HTTPRouteRule): boolean {
    return rule.name !== undefined && managedNames(route).includes(rule.name);
  }

  /** The backendRef of `rule` naming `service` (a Service in the rollout's namespace). */
  private backendOf(rule: HTTPRouteRule, service: string, route: HTTPRouteObject, targets: TrafficTargets): NonNullable<HTTPRouteRule['backendRefs']>[number] | undefined {
    const namespace = targets.namespace ?? route.metadata?.namespace;
    return (rule.backendRefs ?? []).find(
      (ref) => ref.name === service && (ref.kind ?? 'Service') === 'Service' && (ref.group ?? '') === '' && (ref.namespace ?? route.metadata?.namespace) === namespace,
    );
  }

  /** Reads each route fresh, lets `edit` change it, and writes it back when it says it changed. */
  private async editRoutes(targets: TrafficTargets, edit: (route: HTTPRouteObject) => boolean): Promise<void> {
    if (this.routes.length === 0) throw new TrafficRoutingError('the argoproj-labs/gatewayAPI plugin names no httpRoute');
    for (const name of this.routes) {
      const namespace = this.namespace ?? targets.namespace;
      let route: HTTPRouteObject;
      try {
        route = structuredClone(await this.client.get(namespace, name));
      } catch (error) {
        if (error instanceof NotFoundError) throw new TrafficRoutingError(`HTTPRoute "${name}" not found`, { cause: error });
        throw error;
      }
      // A 409 from a concurrent writer is thrown: the controller retries with a fresh read.
      if (edit(route)) await this.client.update(namespace, route);
    }
  }
}

// Reconciles the status of GatewayClasses, Gateways and HTTPRoutes that the k8ts gateway
// implements (spec.controllerName == k8ts.io/gateway-controller), as a conformant implementation
// reports it. Keys carry the kind: `gatewayclass:<name>`, `gateway:<ns>/<name>`, `httproute:<ns>/<name>`.
// Objects of other controllers' classes are never written.
import type { Namespace, Secret } from 'kubernetes-types/core/v1.js';
import type { Gateway, GatewayClass, HTTPRoute, ReferenceGrant } from '../../api/gateway/index.js';
import { GatewayConditionReason as Reason } from '../../api/gateway/index.js';
import type { CertificateLookup } from '../../api/gateway/listener-certificates.js';
import type { KubeObject } from '../../api/object.js';
import { jsonEqual } from '../../api/validation/json-access.js';
import type { Lister } from '../../client/informer/informer.js';
import type { ClientSet } from '../../client/resource-client.js';
import { GATEWAY_CLASSES, GATEWAYS, HTTP_ROUTES } from '../../client/resource-types.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { Reconciler } from '../framework/reconciler.js';
import { splitObjectKey } from '../framework/object-key.js';
import { resolvedRefsCondition } from './backend-resolution.js';
import { mergeConditions } from './condition-list.js';
import { buildGatewayStatus } from './gateway-status-builder.js';
import type { ListenerHealth } from './listener-health.js';
import { listenerVerdicts } from './listener-validity.js';
import { attachRoute, refersToGateway, type AttachmentResult } from './route-attachment.js';
import { buildRouteParents, type ParentVerdict } from './route-status-builder.js';

export type GatewayObject = Gateway & KubeObject;
export type GatewayClassObject = GatewayClass & KubeObject;
export type HTTPRouteObject = HTTPRoute & KubeObject;
export type ReferenceGrantObject = ReferenceGrant & KubeObject;
export type NamespaceObject = Namespace & KubeObject;
export type ServiceLike = KubeObject;
export type SecretObject = Secret & KubeObject;

export interface GatewayStatusListers {
  readonly classes: Lister<GatewayClassObject>;
  readonly gateways: Lister<GatewayObject>;
  readonly routes: Lister<HTTPRouteObject>;
  readonly services: Lister<ServiceLike>;
  readonly grants: Lister<ReferenceGrantObject>;
  readonly namespaces: Lister<NamespaceObject>;
  /** certificateRefs of HTTPS listeners. */
  readonly secrets: Lister<SecretObject>;
}

export interface GatewayStatusReconcilerOptions {
  readonly clients: ClientSet;
  readonly listers: GatewayStatusListers;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly controllerName: string;
  /** The address the built-in gateway binds, reported in Gateway status.addresses. */
  readonly gatewayAddress: string;
  /** The data plane in this process, when there is one: listeners it cannot bind are not Programmed. */
  readonly listenerHealth?: ListenerHealth | undefined;
}

export class GatewayStatusReconciler implements Reconciler {
  readonly name = 'gateway-status';
  readonly #o: GatewayStatusReconcilerOptions;

  constructor(options: GatewayStatusReconcilerOptions) {
    this.#o = options;
  }

  async reconcile(key: string): Promise<void> {
    const colon = key.indexOf(':');
    const kind = key.slice(0, colon);
    const { namespace, name } = splitObjectKey(key.slice(colon + 1));
    if (kind === 'gatewayclass') await this.#reconcileClass(name);
    else if (kind === 'gateway' && namespace !== undefined) await this.#reconcileGateway(namespace, name);
    else if (kind === 'httproute' && namespace !== undefined) await this.#reconcileRoute(namespace, name);
  }

  #now(): string {
    return this.#o.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** Whether the named GatewayClass exists and is ours. */
  isOurClass(className: string | undefined): boolean {
    if (className === undefined) return false;
    return this.#o.listers.classes.get(undefined, className)?.spec.controllerName === this.#o.controllerName;
  }

  async #reconcileClass(name: string): Promise<void> {
    const gatewayClass = this.#o.listers.classes.get(undefined, name);
    if (!gatewayClass || gatewayClass.spec.controllerName !== this.#o.controllerName) return;
    const desired = gatewayClass.spec.parametersRef === undefined
      ? { type: 'Accepted', status: 'True', reason: Reason.Accepted, message: 'Handled by the k8ts gateway' } as const
      : { type: 'Accepted', status: 'False', reason: Reason.InvalidParameters, message: 'The k8ts gateway takes no parameters' } as const;
    const conditions = mergeConditions(gatewayClass.status?.conditions, [desired], gatewayClass.metadata?.generation, this.#now());
    const status = { ...gatewayClass.status, conditions };
    if (jsonEqual(status, gatewayClass.status)) return;
    await this.#o.clients.resource<GatewayClassObject>(GATEWAY_CLASSES).updateStatus(undefined, { ...structuredClone(gatewayClass), status });
  }

  /** The gateway's parentRef target, when it is a Gateway of one of our classes. */
  #ourGateway(namespace: string, name: string): GatewayObject | undefined {
    const gateway = this.#o.listers.gateways.get(namespace, name);
    return gateway && this.isOurClass(gateway.spec.gatewayClassName) ? gateway : undefined;
  }

  #certificates: CertificateLookup = {
    secret: (namespace, name) => this.#o.listers.secrets.get(namespace, name),
    grantsIn: (namespace) => this.#o.listers.grants.list({ namespace }),
  };

  /** The listener verdicts of one of our Gateways (certificateRefs resolved through the informers). */
  verdictsOf(gateway: GatewayObject): ReturnType<typeof listenerVerdicts> {
    return listenerVerdicts(gateway, this.#certificates, this.#httpPortsElsewhere(gateway));
  }

  /** Ports of HTTP listeners of our other Gateways (the data plane serves all of them on one address). */
  #httpPortsElsewhere(gateway: GatewayObject): Set<number> {
    const ports = new Set<number>();
    for (const other of this.#o.listers.gateways.list()) {
      if (other === gateway || other.metadata?.uid === gateway.metadata?.uid) continue;
      if (other.metadata?.deletionTimestamp !== undefined || !this.isOurClass(other.spec.gatewayClassName)) continue;
      for (const listener of other.spec.listeners) if (listener.protocol === 'HTTP') ports.add(listener.port);
    }
    return ports;
  }

  #namespaceLabels = (namespace: string): Readonly<Record<string, string>> | undefined =>
    this.#o.listers.namespaces.get(undefined, namespace)?.metadata?.labels;

  /** Each parentRef of `route` that names one of our Gateways, with where it attaches. */
  parentVerdicts(route: HTTPRouteObject): ParentVerdict[] {
    const verdicts: ParentVerdict[] = [];
    for (const ref of route.spec.parentRefs ?? []) {
      if (!refersToGateway(ref)) continue;
      const gateway = this.#ourGateway(ref.namespace ?? route.metadata?.namespace ?? '', ref.name);
      if (!gateway) continue;
      const usableListeners = new Set(this.verdictsOf(gateway).filter((v) => v.usable).map((v) => v.listener.name));
      const attachment: AttachmentResult = attachRoute({ route, ref, gateway, usableListeners, namespaceLabels: this.#namespaceLabels });
      verdicts.push({ ref, attachment });
    }
    return verdicts;
  }

  async #reconcileGateway(namespace: string, name: string): Promise<void> {
    const gateway = this.#ourGateway(namespace, name);
    if (!gateway) return;
    const verdicts = this.verdictsOf(gateway);
    const usableListeners = new Set(verdicts.filter((v) => v.usable).map((v) => v.listener.name));
    // A route counts once per listener, however many of its parentRefs land there.
    const attached = new Map<string, number>();
    for (const route of this.#o.listers.routes.list()) {
      const listeners = new Set<string>();
      for (const ref of route.spec.parentRefs ?? []) {
        if (!refersToGateway(ref) || ref.name !== name || (ref.namespace ?? route.metadata?.namespace) !== namespace) continue;
        const result = attachRoute({ route, ref, gateway, usableListeners, namespaceLabels: this.#namespaceLabels });
        if (result.accepted) for (const listener of result.listeners) listeners.add(listener);
      }
      for (const listener of listeners) attached.set(listener, (attached.get(listener) ?? 0) + 1);
    }
    const status = buildGatewayStatus({ gateway, verdicts, attachedRoutes: attached, address: this.#o.gatewayAddress, now: this.#now(),
      bindFailures: this.#o.listenerHealth?.bindFailures() });
    if (jsonEqual(status, gateway.status)) return;
    await this.#o.clients.resource<GatewayObject>(GATEWAYS).updateStatus(namespace, { ...structuredClone(gateway), status });
  }

  async #reconcileRoute(namespace: string, name: string): Promise<void> {
    const route = this.#o.listers.routes.get(namespace, name);
    if (!route) return;
    const { services, grants } = this.#o.listers;
    const resolvedRefs = resolvedRefsCondition(route, {
      serviceExists: (ns, svc) => services.get(ns, svc) !== undefined,
      grantsIn: (ns) => grants.list({ namespace: ns }),
    });
    const parents = buildRouteParents({
      route, controllerName: this.#o.controllerName, verdicts: this.parentVerdicts(route), resolvedRefs, now: this.#now(),
    });
    if (jsonEqual(parents, route.status?.parents ?? [])) return;
    await this.#o.clients.resource<HTTPRouteObject>(HTTP_ROUTES).updateStatus(namespace, { ...structuredClone(route), status: { parents } });
    this.#o.logger.debug({ namespace, name, parents: parents.length }, 'httproute status written');
  }
}

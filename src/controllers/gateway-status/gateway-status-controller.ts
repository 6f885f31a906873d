// The Gateway API status controller's wiring. Event handlers only compute keys:
//   GatewayClass -> itself and its Gateways; Gateway -> itself and the routes naming it;
//   HTTPRoute -> itself and the Gateways it names (old and new: attachedRoutes counts);
//   Service / ReferenceGrant -> the routes whose backends they may resolve (a ReferenceGrant also
//   -> every Gateway: it may allow a certificateRef);
//   Secret -> the Gateways whose HTTPS listeners name it (and their routes);
//   Namespace -> everything (listener namespace selectors read namespace labels);
//   a change of the data plane's bind failures -> the Gateways with a listener on a changed port.
import type { HTTPRoute } from '../../api/gateway/index.js';
import { DEFAULT_GATEWAY_ADDRESS, K8TS_GATEWAY_CONTROLLER_NAME } from '../../api/gateway/index.js';
import type { KubeObject } from '../../api/object.js';
import { GATEWAY_CLASSES, GATEWAYS, HTTP_ROUTES, NAMESPACES, REFERENCE_GRANTS, SECRETS, SERVICES } from '../../client/resource-types.js';
import { componentLogger } from '../../lib/logger.js';
import type { ControllerFactory } from '../framework/controller-context.js';
import { objectKey } from '../framework/object-key.js';
import {
  GatewayStatusReconciler, type GatewayClassObject, type GatewayObject, type HTTPRouteObject, type NamespaceObject,
  type ReferenceGrantObject, type SecretObject,
} from './gateway-status-reconciler.js';
import type { BindFailures, ListenerHealth } from './listener-health.js';

export interface GatewayStatusControllerOptions {
  /** The address the built-in gateway binds (`--gateway-address`); default 127.0.0.1. */
  readonly gatewayAddress?: string;
  /** Default k8ts.io/gateway-controller. */
  readonly controllerName?: string;
  /** The gateway data plane of this process, if it runs one (not with --no-gateway). */
  readonly listenerHealth?: ListenerHealth;
}

/** Ports whose failure appeared, went away or changed code between two snapshots. */
function changedPorts(before: BindFailures, after: BindFailures): Set<number> {
  const ports = new Set<number>();
  for (const [port, code] of before) if (after.get(port) !== code) ports.add(port);
  for (const [port, code] of after) if (before.get(port) !== code) ports.add(port);
  return ports;
}

/** Whether an HTTPS listener of `gateway` names the Secret `namespace/name`. */
function namesSecret(gateway: GatewayObject, namespace: string | undefined, name: string | undefined): boolean {
  const own = gateway.metadata?.namespace;
  return gateway.spec.listeners.some((listener) => listener.protocol === 'HTTPS' &&
    (listener.tls?.certificateRefs ?? []).some((ref) => ref.name === name && (ref.namespace ?? own) === namespace));
}

/** `ns/name` of each Gateway a route's parentRefs name. */
function gatewayKeysOf(route: HTTPRoute): string[] {
  const namespace = route.metadata?.namespace ?? '';
  return (route.spec.parentRefs ?? [])
    .filter((ref) => (ref.kind ?? 'Gateway') === 'Gateway')
    .map((ref) => `gateway:${ref.namespace ?? namespace}/${ref.name}`);
}

export function createGatewayStatusController(options: GatewayStatusControllerOptions = {}): ControllerFactory {
  return (context) => {
    const classes = context.informers.informerFor<GatewayClassObject>(GATEWAY_CLASSES);
    const gateways = context.informers.informerFor<GatewayObject>(GATEWAYS);
    const routes = context.informers.informerFor<HTTPRouteObject>(HTTP_ROUTES);
    const services = context.informers.informerFor(SERVICES);
    const grants = context.informers.informerFor<ReferenceGrantObject>(REFERENCE_GRANTS);
    const namespaces = context.informers.informerFor<NamespaceObject>(NAMESPACES);
    const secrets = context.informers.informerFor<SecretObject>(SECRETS);
    const reconciler = new GatewayStatusReconciler({
      clients: context.clients,
      listers: {
        classes: classes.lister, gateways: gateways.lister, routes: routes.lister,
        services: services.lister, grants: grants.lister, namespaces: namespaces.lister, secrets: secrets.lister,
      },
      clock: context.clock,
      logger: componentLogger(context.logger, 'gateway-status-controller'),
      controllerName: options.controllerName ?? K8TS_GATEWAY_CONTROLLER_NAME,
      gatewayAddress: options.gatewayAddress ?? DEFAULT_GATEWAY_ADDRESS,
      listenerHealth: options.listenerHealth,
    });
    return {
      reconciler,
      connect(enqueue) {
        const routeKey = (route: KubeObject): string => `httproute:${objectKey(route)}`;
        const enqueueAllRoutes = (): void => { for (const route of routes.lister.list()) enqueue(routeKey(route)); };
        const enqueueAllGateways = (): void => { for (const gateway of gateways.lister.list()) enqueue(`gateway:${objectKey(gateway)}`); };
        const onClass = (gatewayClass: GatewayClassObject): void => {
          enqueue(`gatewayclass:${objectKey(gatewayClass)}`);
          for (const gateway of gateways.lister.list())
            if (gateway.spec.gatewayClassName === gatewayClass.metadata?.name) enqueue(`gateway:${objectKey(gateway)}`);
          // Routes attached to those Gateways may change verdict too.
          enqueueAllRoutes();
        };
        const onGateway = (gateway: GatewayObject, previous?: GatewayObject): void => {
          const key = `gateway:${objectKey(gateway)}`;
          enqueue(key);
          for (const route of routes.lister.list()) if (gatewayKeysOf(route).includes(key)) enqueue(routeKey(route));
          // Its HTTP listeners decide whether other Gateways' HTTPS listeners on those ports conflict.
          const httpPorts = new Set([...gateway.spec.listeners, ...(previous?.spec.listeners ?? [])].filter((l) => l.protocol === 'HTTP').map((l) => l.port));
          for (const other of gateways.lister.list()) {
            if (other === gateway || !other.spec.listeners.some((l) => l.protocol === 'HTTPS' && httpPorts.has(l.port))) continue;
            const otherKey = `gateway:${objectKey(other)}`;
            enqueue(otherKey);
            for (const route of routes.lister.list()) if (gatewayKeysOf(route).includes(otherKey)) enqueue(routeKey(route));
          }
        };
        const onRoute = (route: HTTPRouteObject): void => {
          enqueue(routeKey(route));
          for (const key of gatewayKeysOf(route)) enqueue(key);
        };
        classes.addHandlers({ add: onClass, update: (_old, next) => onClass(next), delete: onClass });
        gateways.addHandlers({
          add: onGateway,
          update: (old, next) => { if (old.metadata?.resourceVersion !== next.metadata?.resourceVersion) onGateway(next, old); },
          delete: onGateway,
        });
        routes.addHandlers({
          add: onRoute,
          update: (old, next) => { onRoute(old); onRoute(next); },
          delete: (route) => { for (const key of gatewayKeysOf(route)) enqueue(key); },
        });
        services.addHandlers({ add: enqueueAllRoutes, delete: enqueueAllRoutes });
        const onGrant = (): void => {
          enqueueAllRoutes();
          enqueueAllGateways();
        };
        grants.addHandlers({ add: onGrant, update: onGrant, delete: onGrant });
        // A certificate that appears, changes or goes away changes its listeners' ResolvedRefs
        // and usability (so the routes attached there).
        const onSecret = (secret: SecretObject): void => {
          const { namespace, name } = secret.metadata ?? {};
          for (const gateway of gateways.lister.list()) if (namesSecret(gateway, namespace, name)) onGateway(gateway);
        };
        secrets.addHandlers({
          add: onSecret,
          update: (old, next) => { if (old.metadata?.resourceVersion !== next.metadata?.resourceVersion) onSecret(next); },
          delete: onSecret,
        });
        const health = options.listenerHealth;
        if (health !== undefined) {
          let last = health.bindFailures();
          // Each leadership term subscribes anew, so this term's subscription ends with it.
          const unsubscribe = health.onChange(() => {
            const current = health.bindFailures();
            const ports = changedPorts(last, current);
            last = current;
            for (const gateway of gateways.lister.list())
              if (gateway.spec.listeners.some((l) => ports.has(l.port))) enqueue(`gateway:${objectKey(gateway)}`);
          });
          if (context.signal.aborted) unsubscribe();
          else context.signal.addEventListener('abort', unsubscribe, { once: true });
        }
        namespaces.addHandlers({
          add: () => { enqueueAllGateways(); enqueueAllRoutes(); },
          update: (old, next) => {
            if (JSON.stringify(old.metadata?.labels) === JSON.stringify(next.metadata?.labels)) return;
            enqueueAllGateways();
            enqueueAllRoutes();
          },
        });
      },
    };
  };
}

export const gatewayStatusController: ControllerFactory = createGatewayStatusController();

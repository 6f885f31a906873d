// The gateway's control loop: informers (through the client module) on GatewayClasses, Gateways,
// HTTPRoutes, ReferenceGrants, Services, EndpointSlices, Pods, Namespaces and TLS Secrets (the
// certificates of HTTPS listeners: a rotated certificate reaches new connections through the next
// table, without a restart); any relevant change
// schedules a recompile after a short debounce (a rollout step touches routes, slices and pods in
// a burst: one table for the burst, not dozens); a table that differs from the last one goes to
// `onTable` with the next version. The supervisor forwards it to the workers.

import type { Namespace, Pod, Secret, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Gateway, GatewayClass, HTTPRoute, ReferenceGrant } from '../../api/gateway/index.js';
import { TLS_SECRET_TYPE } from '../../api/gateway/listener-certificates.js';
import type { KubeObject } from '../../api/object.js';
import type { Informer, InformerFactory } from '../../client/informer/informer.js';
import type { ResourceType } from '../../client/resource-client.js';
import {
  ENDPOINTSLICES,
  GATEWAY_CLASSES,
  GATEWAYS,
  HTTP_ROUTES,
  NAMESPACES,
  PODS,
  REFERENCE_GRANTS,
  SECRETS,
  SERVICES,
} from '../../client/resource-types.js';
import { realTimers, type Timers } from '../../client/timers.js';
import type { Logger } from '../../lib/logger.js';
import { REVISION_LABELS } from './backend-resolver.js';
import { compileRouteTable } from './route-compiler.js';
import type { RouteTable } from './route-table.js';

export const DEFAULT_DEBOUNCE_MS = 50;

export interface GatewayControlOptions {
  readonly informers: InformerFactory;
  /** Called with every new table (never twice with equal content); must not throw. */
  readonly onTable: (table: RouteTable) => void;
  readonly logger: Logger;
  readonly timers?: Timers;
  readonly debounceMs?: number;
  /** GatewayClasses with this controllerName are ours (default k8ts.io/gateway-controller). */
  readonly controllerName?: string;
}

type Obj<T> = T & KubeObject;

export class GatewayControl {
  private readonly options: GatewayControlOptions;
  private readonly timers: Timers;
  private readonly debounceMs: number;
  private readonly classes: Informer<Obj<GatewayClass>>;
  private readonly gateways: Informer<Obj<Gateway>>;
  private readonly routes: Informer<Obj<HTTPRoute>>;
  private readonly grants: Informer<Obj<ReferenceGrant>>;
  private readonly services: Informer<Obj<Service>>;
  private readonly slices: Informer<Obj<EndpointSlice>>;
  private readonly pods: Informer<Obj<Pod>>;
  private readonly namespaces: Informer<Obj<Namespace>>;
  private readonly secrets: Informer<Obj<Secret>>;
  private version = 0;
  private lastContent: string | undefined;
  private latest: RouteTable | undefined;
  private cancelPending: (() => void) | undefined;
  private running = false;

  constructor(options: GatewayControlOptions) {
    this.options = options;
    this.timers = options.timers ?? realTimers;
    this.debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    const f = options.informers;
    this.classes = this.watch(f, GATEWAY_CLASSES);
    this.gateways = this.watch(f, GATEWAYS);
    this.routes = this.watch(f, HTTP_ROUTES);
    this.grants = this.watch(f, REFERENCE_GRANTS);
    this.services = this.watch(f, SERVICES);
    this.slices = this.watch(f, ENDPOINTSLICES);
    // Pods matter only for their revision label and Namespaces only for their labels: status
    // churn (every probe result) must not recompile the table. A pod without a revision label is
    // not in the table's input at all (BackendIndex keeps only revisions), so adding or deleting
    // one, e.g. each of thousands of plain pods, changes nothing to recompile.
    this.pods = this.watch<Obj<Pod>>(f, PODS, labelsChanged, hasRevision);
    this.namespaces = this.watch<Obj<Namespace>>(f, NAMESPACES, labelsChanged);
    // Only kubernetes.io/tls Secrets can be certificates: other Secrets (tokens, pull secrets)
    // never trigger a recompile.
    this.secrets = this.watch<Obj<Secret>>(f, SECRETS, (a, b) => versionChanged(a, b) && (isTlsSecret(a) || isTlsSecret(b)), isTlsSecret);
  }

  /**
   * Starts the informers, waits for their first lists, publishes the first table, then keeps
   * publishing until the signal aborts. Resolves once the first table is out.
   */
  async start(signal: AbortSignal): Promise<void> {
    this.options.informers.start(signal);
    await this.options.informers.waitForSync(signal);
    this.running = true;
    signal.addEventListener(
      'abort',
      () => {
        this.running = false;
        this.cancelPending?.();
        this.cancelPending = undefined;
      },
      { once: true },
    );
    this.recompile();
  }

  /** The last table published (undefined before the first). */
  current(): RouteTable | undefined {
    return this.latest;
  }

  /** Compiles now from the informer caches; publishes when the content changed. */
  recompile(): void {
    this.cancelPending?.();
    this.cancelPending = undefined;
    const next = this.version + 1;
    let table: RouteTable;
    try {
      table = compileRouteTable(
        {
          gatewayClasses: this.classes.lister.list(),
          gateways: this.gateways.lister.list(),
          httpRoutes: this.routes.lister.list(),
          referenceGrants: this.grants.lister.list(),
          services: this.services.lister.list(),
          endpointSlices: this.slices.lister.list(),
          pods: this.pods.lister.list(),
          namespaces: this.namespaces.lister.list(),
          secrets: this.secrets.lister.list().filter(isTlsSecret),
        },
        { version: next, ...(this.options.controllerName !== undefined ? { controllerName: this.options.controllerName } : {}) },
      );
    } catch (err) {
      // A compiler bug must not stop the gateway: keep serving the last good table.
      this.options.logger.error({ err }, 'route table compile failed; keeping the previous table');
      return;
    }
    const content = JSON.stringify(table.listeners);
    if (content === this.lastContent) return;
    this.lastContent = content;
    this.version = next;
    this.latest = table;
    this.options.logger.debug({ version: next, listeners: table.listeners.map((l) => ({ port: l.port, rules: l.rules.length })) }, 'route table');
    this.options.onTable(table);
  }

  private schedule(): void {
    if (!this.running || this.cancelPending !== undefined) return;
    this.cancelPending = this.timers.schedule(this.debounceMs, () => {
      this.cancelPending = undefined;
      if (this.running) this.recompile();
    });
  }

  private watch<T extends KubeObject>(
    factory: InformerFactory, type: ResourceType, relevant: (a: T, b: T) => boolean = versionChanged, counts: (obj: T) => boolean = () => true,
  ): Informer<T> {
    const informer = factory.informerFor<T>(type);
    informer.addHandlers({
      add: (obj) => {
        if (counts(obj)) this.schedule();
      },
      update: (a, b) => {
        if (relevant(a, b)) this.schedule();
      },
      delete: (obj) => {
        if (counts(obj)) this.schedule();
      },
    });
    return informer;
  }
}

// Resync delivers old === new: nothing to do.
function versionChanged(a: KubeObject, b: KubeObject): boolean {
  return a !== b && a.metadata?.resourceVersion !== b.metadata?.resourceVersion;
}

function isTlsSecret(secret: Obj<Secret>): boolean {
  return secret.type === TLS_SECRET_TYPE;
}

function hasRevision(pod: KubeObject): boolean {
  const labels = pod.metadata?.labels;
  return labels !== undefined && REVISION_LABELS.some((label) => labels[label] !== undefined && labels[label] !== '');
}

function labelsChanged(a: KubeObject, b: KubeObject): boolean {
  return versionChanged(a, b) && (JSON.stringify(a.metadata?.labels ?? {}) !== JSON.stringify(b.metadata?.labels ?? {}) || a.metadata?.deletionTimestamp !== b.metadata?.deletionTimestamp);
}

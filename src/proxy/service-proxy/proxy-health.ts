// The service proxy's own health, as kube-proxy's ProxyHealthServer judges it: the proxy is
// unhealthy once a change has waited healthTimeoutMs (kube-proxy: 2x its sync period) without a
// successful sync. A failed sync leaves the change waiting, so failing syncs turn it unhealthy
// too. Separately the node is "eligible" for load-balancer traffic unless its Node is being
// deleted or carries the cluster autoscaler's ToBeDeletedByClusterAutoscaler taint; /healthz
// (proxy-health-server.ts) needs both, /livez and the health check node ports only the first.
import type { Node } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../lib/clock.js';

/** The taint the cluster autoscaler puts on a node before it removes it. */
export const TO_BE_DELETED_TAINT = 'ToBeDeletedByClusterAutoscaler';

export interface ProxyHealthStatus {
  /** No change has waited healthTimeoutMs or longer. */
  readonly healthy: boolean;
  readonly nodeEligible: boolean;
  /** The last successful sync (or the proxy's start); undefined before the proxy started. */
  readonly lastUpdated: Date | undefined;
  readonly currentTime: Date;
}

export class ProxyHealth {
  private readonly clock: Clock;
  readonly healthTimeoutMs: number;
  private lastUpdated: Date | undefined;
  /** When the oldest change not yet synced was queued; undefined when fully synced. */
  private oldestPending: Date | undefined;
  private syncing = false;
  /** The oldest change queued while a sync was running (that sync may not include it). */
  private queuedDuringSync: Date | undefined;
  /** Eligible until a Node event says otherwise (a starting proxy must not be cut off). */
  private eligible = true;

  constructor(options: { readonly clock: Clock; readonly healthTimeoutMs: number }) {
    this.clock = options.clock;
    this.healthTimeoutMs = options.healthTimeoutMs;
  }

  /** The proxy starts its sync loop: healthy from here even if no sync ever succeeds until a change waits. */
  started(): void {
    this.lastUpdated = this.clock.now();
  }

  /** A change waits for a sync; only the oldest waiting one counts. */
  queued(): void {
    const now = this.clock.now();
    this.oldestPending ??= now;
    // The sync in flight may have read the state before this change: it must not clear it.
    if (this.syncing) this.queuedDuringSync ??= now;
  }

  /** A sync begins; it covers every change queued so far. */
  syncStarted(): void {
    this.syncing = true;
    this.queuedDuringSync = undefined;
  }

  /** The sync succeeded: the rules reflect every change queued before it began. */
  synced(): void {
    this.oldestPending = this.queuedDuringSync;
    this.endSync();
    this.lastUpdated = this.clock.now();
  }

  /** The sync failed: its changes still wait (a failed periodic resync counts as a waiting change). */
  syncFailed(): void {
    this.oldestPending ??= this.clock.now();
    this.endSync();
  }

  private endSync(): void {
    this.syncing = false;
    this.queuedDuringSync = undefined;
  }

  /** This proxy's Node changed; undefined: it was deleted. */
  syncNode(node: Node | undefined): void {
    this.eligible = node !== undefined
      && node.metadata?.deletionTimestamp === undefined
      && !(node.spec?.taints ?? []).some((taint) => taint.key === TO_BE_DELETED_TAINT);
  }

  get nodeEligible(): boolean {
    return this.eligible;
  }

  /** The proxy's own health, ignoring the Node (what serviceProxyHealthy reports). */
  isHealthy(): boolean {
    return this.status().healthy;
  }

  status(): ProxyHealthStatus {
    const currentTime = this.clock.now();
    const healthy = this.oldestPending === undefined || currentTime.getTime() - this.oldestPending.getTime() < this.healthTimeoutMs;
    return { healthy, nodeEligible: this.eligible, lastUpdated: this.lastUpdated, currentTime };
  }
}

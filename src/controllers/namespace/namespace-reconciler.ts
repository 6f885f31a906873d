// The namespace reconciler (upstream: NamespaceController + NamespacedResourcesDeleter). For a
// namespace with deletionTimestamp: phase Terminating, delete everything in it, wait until it is
// gone, then remove `kubernetes` from spec.finalizers; the registry deletes the namespace when
// its finalizers are empty. Upstream writes spec.finalizers through the `finalize` subresource;
// k8ts' registry accepts it through a normal update of the namespace.
import type { KubeObject } from '../../api/object.js';
import type { Lister } from '../../client/informer/informer.js';
import type { ClientSet, ResourceType } from '../../client/resource-client.js';
import * as builtIn from '../../client/resource-types.js';
import type { Clock } from '../../lib/clock.js';
import { NotFoundError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { NamespaceObject as Namespace } from '../framework/kube-object-types.js';
import type { ReconcileResult, Reconciler } from '../framework/reconciler.js';
import { deletionConditions, mergeConditions, type ContentReport } from './namespace-conditions.js';

export const KUBERNETES_FINALIZER = 'kubernetes';
/** How soon a namespace whose content is still going away is looked at again. */
export const CONTENT_RECHECK_MS = 2_000;

function isResourceType(value: unknown): value is ResourceType {
  return typeof value === 'object' && value !== null && 'resource' in value && 'namespaced' in value;
}

/** Every namespaced built-in resource (events last: deleting pods may still record some). */
export const NAMESPACED_BUILT_IN_TYPES: readonly ResourceType[] = Object.values(builtIn as Record<string, unknown>)
  .filter(isResourceType)
  .filter((t) => t.namespaced)
  .sort((a, b) => Number(a.resource === 'events') - Number(b.resource === 'events'));

export interface NamespaceReconcilerOptions {
  readonly clients: ClientSet;
  readonly namespaces: Lister<Namespace>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** What is deleted from a terminating namespace (default: every namespaced built-in type). */
  readonly resources?: readonly ResourceType[];
}

function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function groupResource(type: ResourceType): string {
  return type.group ? `${type.resource}.${type.group}` : type.resource;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class NamespaceReconciler implements Reconciler {
  readonly name = 'namespace';
  private readonly options: NamespaceReconcilerOptions;
  private readonly resources: readonly ResourceType[];

  constructor(options: NamespaceReconcilerOptions) {
    this.options = options;
    this.resources = options.resources ?? NAMESPACED_BUILT_IN_TYPES;
  }

  async reconcile(name: string): Promise<ReconcileResult | void> {
    const cached = this.options.namespaces.get(undefined, name);
    if (cached?.metadata?.deletionTimestamp === undefined) return;
    if (!(cached.spec?.finalizers ?? []).includes(KUBERNETES_FINALIZER)) return;
    const { report, waitMs } = await this.deleteContent(name);
    await this.writeStatus(name, report);
    if (report.failures.length > 0) {
      throw new Error(`namespace ${name}: ${report.failures.length} resource types could not be emptied: ${report.failures.join(', ')}`);
    }
    if (report.remaining.size > 0) return { requeueAfterMs: waitMs };
    await this.finalize(name);
  }

  /** Deletes what is left and reports what still exists afterwards. */
  private async deleteContent(namespace: string): Promise<{ report: ContentReport; waitMs: number }> {
    const remaining = new Map<string, number>();
    const finalizers = new Map<string, number>();
    const failures: string[] = [];
    const now = this.options.clock.now().getTime();
    let waitMs = CONTENT_RECHECK_MS;
    let graceMs = 0;
    for (const type of this.resources) {
      const client = this.options.clients.resource(type);
      try {
        const before = (await client.list(namespace)).items;
        if (before.length === 0) continue;
        for (const object of before) {
          if (object.metadata?.deletionTimestamp !== undefined) continue;
          await client.delete(namespace, object.metadata?.name ?? '').catch((error: unknown) => {
            if (!(error instanceof NotFoundError)) throw error;
          });
        }
        const after = (await client.list(namespace)).items;
        if (after.length === 0) continue;
        remaining.set(groupResource(type), after.length);
        for (const object of after) {
          for (const f of object.metadata?.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
          graceMs = Math.max(graceMs, gracefulDeadline(object) - now);
        }
      } catch (error) {
        failures.push(`${groupResource(type)}: ${errorMessage(error)}`);
      }
    }
    // Pods terminating gracefully: come back when the longest grace period should be over.
    if (graceMs > 0) waitMs = Math.max(waitMs, graceMs);
    return { report: { remaining, finalizers, failures }, waitMs };
  }

  private async writeStatus(name: string, report: ContentReport): Promise<void> {
    const client = this.options.clients.resource<Namespace>(builtIn.NAMESPACES);
    const live = await client.get(undefined, name);
    const status = { ...(live.status ?? {}) };
    const conditions = mergeConditions(status.conditions ?? [], deletionConditions(report), formatTime(this.options.clock.now()));
    if (status.phase === 'Terminating' && conditions === undefined) return;
    status.phase = 'Terminating';
    if (conditions !== undefined) status.conditions = conditions;
    await client.updateStatus(undefined, { ...live, status });
  }

  /** Removes `kubernetes` from spec.finalizers (a conflict is retried by the runner). */
  private async finalize(name: string): Promise<void> {
    const client = this.options.clients.resource<Namespace>(builtIn.NAMESPACES);
    let live: Namespace;
    try {
      live = await client.get(undefined, name);
    } catch (error) {
      if (error instanceof NotFoundError) return;
      throw error;
    }
    const finalizers = (live.spec?.finalizers ?? []).filter((f) => f !== KUBERNETES_FINALIZER);
    await client.update(undefined, { ...live, spec: { ...live.spec, finalizers } });
    this.options.logger.info({ namespace: name }, 'namespace content removed, finalized');
  }
}

/** When a gracefully deleted object's grace period ends (ms since epoch), or 0. */
function gracefulDeadline(object: KubeObject): number {
  const at = object.metadata?.deletionTimestamp;
  if (at === undefined || !object.metadata?.deletionGracePeriodSeconds) return 0;
  const parsed = Date.parse(at);
  return Number.isNaN(parsed) ? 0 : parsed;
}

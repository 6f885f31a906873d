// The garbage collector's reconcile (upstream: attemptToDeleteItem, processDeletingDependentsItem,
// orphanDependents). Keys are object uids. One pass over an object:
//   - being deleted with finalizer `orphan`: strip its ownerReference from every dependent, then
//     remove the finalizer;
//   - being deleted with finalizer `foregroundDeletion`: delete its dependents (foreground), and
//     remove the finalizer once no dependent with blockOwnerDeletion is left;
//   - otherwise, if it has owners: sort them into solid (alive), dangling (gone, by uid) and
//     waiting (being deleted in the foreground). Any solid owner keeps the object, and references
//     to dangling/waiting owners are removed from it. No solid owner: delete it, foreground if an
//     owner waits for it, else by its own finalizers, else in the background.
//
// Example: pod P owned by RS A (gone) and RS B (alive) -> P loses its reference to A and stays.
// Once B is deleted too, P has only dangling owners and is deleted.
import type { KubeObject } from '../../api/object.js';
import type { ClientDeleteOptions, ClientSet } from '../../client/resource-client.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { OwnerReference } from '../framework/controller-ref.js';
import type { ReconcileResult, Reconciler } from '../framework/reconciler.js';
import type { GraphNode, OwnerGraph } from './owner-graph.js';
import type { OwnerResolver } from './owner-resolver.js';

export const ORPHAN_FINALIZER = 'orphan';
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
/** How often an owner waiting for blocking dependents is looked at again (events usually come first). */
export const FOREGROUND_RECHECK_MS = 5_000;

export interface GarbageCollectorReconcilerOptions {
  readonly clients: ClientSet;
  readonly graph: OwnerGraph;
  readonly resolver: OwnerResolver;
  readonly logger: Logger;
}

function hasFinalizer(object: KubeObject, finalizer: string): boolean {
  return (object.metadata?.finalizers ?? []).includes(finalizer);
}

function ignoreGone(error: unknown): void {
  // NotFound: already gone. Conflict on a uid precondition: a new object took the name.
  if (error instanceof NotFoundError || error instanceof ConflictError) return;
  throw error;
}

export class GarbageCollectorReconciler implements Reconciler {
  readonly name = 'garbage-collector';
  private readonly options: GarbageCollectorReconcilerOptions;

  constructor(options: GarbageCollectorReconcilerOptions) {
    this.options = options;
  }

  async reconcile(uid: string): Promise<ReconcileResult | void> {
    const node = this.options.graph.find(uid);
    if (node === undefined) return;
    const { object } = node;
    if (object.metadata?.deletionTimestamp !== undefined) {
      if (hasFinalizer(object, ORPHAN_FINALIZER)) return this.orphanDependents(node);
      if (hasFinalizer(object, FOREGROUND_FINALIZER)) return this.deleteDependents(node);
      return;
    }
    await this.attemptToDelete(node);
  }

  private async attemptToDelete(node: GraphNode): Promise<void> {
    const { object, type } = node;
    const refs = object.metadata?.ownerReferences ?? [];
    if (refs.length === 0) return;
    const solid: OwnerReference[] = [];
    const gone: OwnerReference[] = [];
    let waiting = false;
    for (const ref of refs) {
      const owner = await this.options.resolver.resolve(ref, object.metadata?.namespace);
      if (owner.state === 'absent') gone.push(ref);
      else if (owner.state === 'present' && owner.owner.metadata?.deletionTimestamp !== undefined && hasFinalizer(owner.owner, FOREGROUND_FINALIZER)) {
        gone.push(ref);
        waiting = true;
      } else solid.push(ref);
    }
    const client = this.options.clients.resource(type);
    const namespace = object.metadata?.namespace;
    const name = object.metadata?.name ?? '';
    if (solid.length > 0) {
      if (gone.length > 0) await this.removeOwnerReferences(node, new Set(gone.map((r) => r.uid)));
      return;
    }
    let propagationPolicy: NonNullable<ClientDeleteOptions['propagationPolicy']> = 'Background';
    if (hasFinalizer(object, ORPHAN_FINALIZER)) propagationPolicy = 'Orphan';
    else if (hasFinalizer(object, FOREGROUND_FINALIZER) || waiting) propagationPolicy = 'Foreground';
    this.options.logger.debug({ resource: type.resource, namespace, name, propagationPolicy }, 'garbage collector deleting object');
    await client.delete(namespace, name, { propagationPolicy, preconditions: { uid: object.metadata?.uid ?? '' } }).catch(ignoreGone);
  }

  /** Finalizer `orphan`: dependents lose their reference to this owner, then the finalizer goes. */
  private async orphanDependents(owner: GraphNode): Promise<void> {
    const uid = owner.object.metadata?.uid ?? '';
    for (const dependent of this.options.graph.dependents(uid)) {
      await this.removeOwnerReferences(dependent, new Set([uid]));
    }
    await this.removeFinalizer(owner, ORPHAN_FINALIZER);
  }

  /**
   * Finalizer `foregroundDeletion`: every dependent is processed (deleted, or just unlinked when
   * it has another live owner); the owner stays until no dependent that blocks it is left.
   */
  private async deleteDependents(owner: GraphNode): Promise<ReconcileResult | void> {
    const uid = owner.object.metadata?.uid ?? '';
    const dependents = this.options.graph.dependents(uid);
    for (const dependent of dependents) {
      if (dependent.object.metadata?.deletionTimestamp === undefined) await this.attemptToDelete(dependent);
    }
    const blocking = dependents.filter((d) =>
      (d.object.metadata?.ownerReferences ?? []).some((r) => r.uid === uid && r.blockOwnerDeletion === true));
    if (blocking.length > 0) return { requeueAfterMs: FOREGROUND_RECHECK_MS };
    await this.removeFinalizer(owner, FOREGROUND_FINALIZER);
  }

  /** Merge patch of ownerReferences, guarded by the cached resourceVersion (conflict -> retry). */
  private async removeOwnerReferences(node: GraphNode, uids: ReadonlySet<string>): Promise<void> {
    const meta = node.object.metadata ?? {};
    const refs = (meta.ownerReferences ?? []).filter((r) => !uids.has(r.uid));
    const patch = { metadata: { resourceVersion: meta.resourceVersion, ownerReferences: refs.length > 0 ? refs : null } };
    await this.options.clients.resource(node.type).patch(meta.namespace, meta.name ?? '', 'merge', patch).catch((error: unknown) => {
      if (!(error instanceof NotFoundError)) throw error;
    });
  }

  /** Reads the owner live (the finalizer list must not be stale) and patches the finalizer away. */
  private async removeFinalizer(node: GraphNode, finalizer: string): Promise<void> {
    const client = this.options.clients.resource(node.type);
    const meta = node.object.metadata ?? {};
    let live: KubeObject;
    try {
      live = await client.get(meta.namespace, meta.name ?? '');
    } catch (error) {
      if (error instanceof NotFoundError) return;
      throw error;
    }
    if (live.metadata?.uid !== meta.uid || !hasFinalizer(live, finalizer)) return;
    const finalizers = (live.metadata?.finalizers ?? []).filter((f) => f !== finalizer);
    const patch = { metadata: { resourceVersion: live.metadata?.resourceVersion, finalizers: finalizers.length > 0 ? finalizers : null } };
    await client.patch(meta.namespace, meta.name ?? '', 'merge', patch).catch((error: unknown) => {
      if (!(error instanceof NotFoundError)) throw error;
    });
  }
}

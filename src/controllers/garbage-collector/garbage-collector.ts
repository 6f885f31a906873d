// The garbage collector's wiring. Keys are uids. Handlers enqueue:
//   - an object that has owners, or that is being deleted with a GC finalizer (orphan/foreground);
//   - on delete: its dependents (their owner may now be gone) and its owners (one of them may be
//     waiting in the foreground for exactly this deletion);
//   - on an update that changes ownerReferences or starts a deletion: the owners named before and
//     after, for the same reason.
import type { KubeObject } from '../../api/object.js';
import type { ResourceType } from '../../client/resource-client.js';
import { DEPLOYMENTS, PODS, REPLICASETS } from '../../client/resource-types.js';
import { componentLogger } from '../../lib/logger.js';
import type { ControllerFactory } from '../framework/controller-context.js';
import { FOREGROUND_FINALIZER, GarbageCollectorReconciler, ORPHAN_FINALIZER } from './garbage-collector-reconciler.js';
import { GC_INDEXERS, OwnerGraph, type GraphSource } from './owner-graph.js';
import { OwnerResolver } from './owner-resolver.js';

/** What the collector watches unless told otherwise. */
export const DEFAULT_GC_RESOURCES: readonly ResourceType[] = [PODS, REPLICASETS, DEPLOYMENTS];

export interface GarbageCollectorOptions {
  /** Resources whose objects can be owners or dependents (default: pods, replicasets, deployments). */
  readonly resources?: readonly ResourceType[];
}

function ownerUids(object: KubeObject): string[] {
  return (object.metadata?.ownerReferences ?? []).map((r) => r.uid);
}

function needsAttention(object: KubeObject): boolean {
  const meta = object.metadata;
  if (meta === undefined) return false;
  if ((meta.ownerReferences ?? []).length > 0) return true;
  const finalizers = meta.finalizers ?? [];
  return meta.deletionTimestamp !== undefined && (finalizers.includes(ORPHAN_FINALIZER) || finalizers.includes(FOREGROUND_FINALIZER));
}

/** A ControllerFactory over the given resources: `garbageCollectorFor({ resources: [...] })`. */
export function garbageCollectorFor(options: GarbageCollectorOptions = {}): ControllerFactory {
  return (context) => {
    const resources = options.resources ?? DEFAULT_GC_RESOURCES;
    const informers = resources.map((type) => {
      const informer = context.informers.informerFor<KubeObject>(type);
      informer.addIndexers(GC_INDEXERS);
      return informer;
    });
    const sources: GraphSource[] = informers.map((informer) => ({ type: informer.type, lister: informer.lister }));
    const graph = new OwnerGraph({ sources });
    const resolver = new OwnerResolver({ clients: context.clients, graph, types: resources });
    const reconciler = new GarbageCollectorReconciler({
      clients: context.clients, graph, resolver, logger: componentLogger(context.logger, 'garbage-collector'),
    });
    return {
      reconciler,
      connect(enqueue) {
        const enqueueObject = (object: KubeObject): void => {
          const uid = object.metadata?.uid;
          if (uid !== undefined && needsAttention(object)) enqueue(uid);
        };
        for (const informer of informers) {
          informer.addHandlers({
            add: enqueueObject,
            update: (oldObject, newObject) => {
              enqueueObject(newObject);
              const refsChanged = ownerUids(oldObject).join() !== ownerUids(newObject).join();
              const deletionStarted = oldObject.metadata?.deletionTimestamp === undefined && newObject.metadata?.deletionTimestamp !== undefined;
              if (refsChanged || deletionStarted) {
                for (const uid of new Set([...ownerUids(oldObject), ...ownerUids(newObject)])) enqueue(uid);
              }
            },
            delete: (object) => {
              const uid = object.metadata?.uid;
              if (uid !== undefined) for (const dependent of graph.dependents(uid)) enqueueObject(dependent.object);
              for (const owner of ownerUids(object)) enqueue(owner);
            },
          });
        }
      },
    };
  };
}

/** The garbage collector over pods, replicasets and deployments. */
export const garbageCollector: ControllerFactory = garbageCollectorFor();

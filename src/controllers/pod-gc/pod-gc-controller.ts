// The pod GC's wiring: one key, reconciled at start, every period (its requeueAfter) and shortly
// after a node is deleted.
import { NODES, PODS } from '../../client/resource-types.js';
import { componentLogger } from '../../lib/logger.js';
import type { ControllerFactory } from '../framework/controller-context.js';
import type { NodeObject as Node, PodObject as Pod } from '../framework/kube-object-types.js';
import { DEFAULT_QUARANTINE_MS, POD_GC_KEY, PodGcReconciler } from './pod-gc-reconciler.js';

export interface PodGcOptions {
  readonly terminatedPodThreshold?: number;
  readonly periodMs?: number;
  readonly quarantineMs?: number;
}

export function podGarbageCollectorWith(options: PodGcOptions = {}): ControllerFactory {
  return (context) => {
    const pods = context.informers.informerFor<Pod>(PODS);
    const nodes = context.informers.informerFor<Node>(NODES);
    const reconciler = new PodGcReconciler({
      ...options,
      clients: context.clients,
      pods: pods.lister,
      nodes: nodes.lister,
      clock: context.clock,
      logger: componentLogger(context.logger, 'pod-gc'),
    });
    return {
      reconciler,
      workers: 1,
      connect(enqueue, enqueueAfter) {
        enqueue(POD_GC_KEY);
        nodes.addHandlers({ delete: () => enqueueAfter(POD_GC_KEY, (options.quarantineMs ?? DEFAULT_QUARANTINE_MS) + 1) });
      },
    };
  };
}

export const podGarbageCollector: ControllerFactory = podGarbageCollectorWith();

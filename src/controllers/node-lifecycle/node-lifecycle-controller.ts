// The node lifecycle controller's registration: informers on Nodes, node Leases and Pods, all
// mapped to the node name as key (see node-lifecycle-reconciler.ts for what a pass does).
import { LEASES, NODES, PODS } from '../../client/resource-types.js';
import { componentLogger } from '../../lib/logger.js';
import type { ControllerContext, ControllerFactory, ControllerRegistration } from '../framework/controller-context.js';
import { NodeLifecycleReconciler } from './node-lifecycle-reconciler.js';
import { DEFAULT_NODE_LIFECYCLE_OPTIONS, NODE_LEASE_NAMESPACE, type NodeLifecycleOptions } from './node-lifecycle-options.js';
import { findCondition } from './node-taints.js';
import type { LeaseObject, NodeObject, PodObject } from './node-lifecycle-types.js';

/** Index of pods by spec.nodeName (named for this controller so it never clashes with another's). */
export const PODS_BY_NODE_INDEX = 'node-lifecycle/spec.nodeName';

/** A node whose pods this controller may have to act on: unhealthy, or carrying NoExecute taints. */
function needsPodAttention(node: NodeObject | undefined): boolean {
  if (!node) return false;
  if (findCondition(node, 'Ready')?.status !== 'True') return true;
  return (node.spec?.taints ?? []).some((taint) => taint.effect === 'NoExecute');
}

/** A node lifecycle controller with the given timings (defaults: upstream's). */
export function createNodeLifecycleController(options: Partial<NodeLifecycleOptions> = {}): ControllerFactory {
  const timings: NodeLifecycleOptions = { ...DEFAULT_NODE_LIFECYCLE_OPTIONS, ...options };
  return (context: ControllerContext): ControllerRegistration => {
    const nodeInformer = context.informers.informerFor<NodeObject>(NODES);
    const leaseInformer = context.informers.informerFor<LeaseObject>(LEASES, { namespace: NODE_LEASE_NAMESPACE });
    const podInformer = context.informers.informerFor<PodObject>(PODS);
    podInformer.addIndexers({ [PODS_BY_NODE_INDEX]: (pod) => (pod.spec?.nodeName ? [pod.spec.nodeName] : []) });

    const reconciler = new NodeLifecycleReconciler({
      nodes: context.clients.resource<NodeObject>(NODES),
      pods: context.clients.resource<PodObject>(PODS),
      nodeLister: nodeInformer.lister,
      leaseLister: leaseInformer.lister,
      podsOnNode: (nodeName) => podInformer.lister.byIndex(PODS_BY_NODE_INDEX, nodeName),
      clock: context.clock,
      logger: componentLogger(context.logger, 'node-lifecycle'),
      recorder: context.recorder,
      timings,
    });

    return {
      reconciler,
      connect(enqueue) {
        const byName = (object: NodeObject | LeaseObject) => {
          const name = object.metadata?.name;
          if (name) enqueue(name);
        };
        nodeInformer.addHandlers({ add: byName, update: (_old, node) => byName(node), delete: byName });
        leaseInformer.addHandlers({ add: byName, update: (_old, lease) => byName(lease) });
        // Pod churn on healthy, untainted nodes is none of this controller's business.
        const byNode = (pod: PodObject) => {
          const nodeName = pod.spec?.nodeName;
          if (nodeName && needsPodAttention(nodeInformer.lister.get(undefined, nodeName))) enqueue(nodeName);
        };
        podInformer.addHandlers({ add: byNode, update: (_old, pod) => byNode(pod) });
      },
    };
  };
}

/** The node lifecycle controller with upstream's default timings. */
export const nodeLifecycleController: ControllerFactory = createNodeLifecycleController();

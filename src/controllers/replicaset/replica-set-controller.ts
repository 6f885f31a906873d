// The ReplicaSet controller's wiring: informer handlers turn pods and ReplicaSets into RS keys
// (a pod maps to its controller, an orphan to every ReplicaSet whose selector matches it) and
// record what the pod informer observed against the expectations.
import type { Lister } from '../../client/informer/informer.js';
import { PODS, REPLICASETS } from '../../client/resource-types.js';
import { componentLogger } from '../../lib/logger.js';
import type { ControllerFactory } from '../framework/controller-context.js';
import { getControllerOf } from '../framework/controller-ref.js';
import { Expectations } from '../framework/expectations.js';
import type { PodObject as Pod, ReplicaSetObject as ReplicaSet } from '../framework/kube-object-types.js';
import { objectKey } from '../framework/object-key.js';
import { cachedOwner, ownersSelecting } from '../framework/owner-lookup.js';
import { ownedPodHandlers } from '../framework/owned-pod-handlers.js';
import { REPLICA_SET_TYPE } from './claim-pods.js';
import { ReplicaSetReconciler } from './replica-set-reconciler.js';

/** The ReplicaSet (by uid) that controls `pod`, if it is in the cache. */
function controllingReplicaSet(pod: Pod, replicaSets: Lister<ReplicaSet>): ReplicaSet | undefined {
  return cachedOwner(pod.metadata?.namespace, getControllerOf(pod), REPLICA_SET_TYPE, replicaSets);
}



export const replicaSetController: ControllerFactory = (context) => {
  const podInformer = context.informers.informerFor<Pod>(PODS);
  const rsInformer = context.informers.informerFor<ReplicaSet>(REPLICASETS);
  const replicaSets = rsInformer.lister;
  const expectations = new Expectations({ clock: context.clock });
  const reconciler = new ReplicaSetReconciler({
    clients: context.clients,
    pods: podInformer.lister,
    replicaSets,
    expectations,
    clock: context.clock,
    logger: componentLogger(context.logger, 'replicaset-controller'),
    recorder: context.recorder,
  });

  return {
    reconciler,
    connect(enqueue) {
      podInformer.addHandlers(ownedPodHandlers({
        controllerOf: (pod) => controllingReplicaSet(pod, replicaSets),
        selecting: (pod) => ownersSelecting(pod, replicaSets),
        enqueue,
        creationObserved: (key) => expectations.creationObserved(key),
        // A pod that is gone, or terminating (it no longer counts), fulfils a delete expectation.
        deletionObserved: (key, uid) => expectations.deletionObserved(key, uid),
      }));
      rsInformer.addHandlers({
        add: (rs) => enqueue(objectKey(rs)),
        update: (_old, rs) => enqueue(objectKey(rs)),
        delete: (rs) => {
          expectations.delete(objectKey(rs));
          enqueue(objectKey(rs));
        },
      });
    },
  };
};

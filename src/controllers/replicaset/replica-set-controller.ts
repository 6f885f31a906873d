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
import { cachedOwner, ownersSelecting, sameLabels } from '../framework/owner-lookup.js';
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
      const enqueueMatching = (pod: Pod): void => {
        for (const rs of ownersSelecting(pod, replicaSets)) enqueue(objectKey(rs));
      };
      // A pod that is gone, or terminating (it no longer counts), fulfils a delete expectation.
      const podGone = (pod: Pod): void => {
        const rs = controllingReplicaSet(pod, replicaSets);
        if (rs === undefined) return;
        const key = objectKey(rs);
        expectations.deletionObserved(key, pod.metadata?.uid ?? '');
        enqueue(key);
      };
      podInformer.addHandlers({
        add: (pod) => {
          if (pod.metadata?.deletionTimestamp !== undefined) {
            podGone(pod);
            return;
          }
          const rs = controllingReplicaSet(pod, replicaSets);
          if (rs !== undefined) {
            expectations.creationObserved(objectKey(rs));
            enqueue(objectKey(rs));
          } else if (getControllerOf(pod) === undefined) {
            enqueueMatching(pod);
          }
        },
        update: (oldPod, newPod) => {
          if (oldPod.metadata?.resourceVersion === newPod.metadata?.resourceVersion) return; // resync
          const labelsChanged = !sameLabels(oldPod, newPod);
          if (newPod.metadata?.deletionTimestamp !== undefined) {
            podGone(newPod);
            if (labelsChanged) podGone(oldPod);
            return;
          }
          const oldRef = getControllerOf(oldPod);
          const newRef = getControllerOf(newPod);
          if (oldRef !== undefined && oldRef.uid !== newRef?.uid) {
            const oldRs = controllingReplicaSet(oldPod, replicaSets);
            if (oldRs !== undefined) enqueue(objectKey(oldRs));
          }
          const rs = controllingReplicaSet(newPod, replicaSets);
          if (rs !== undefined) enqueue(objectKey(rs));
          else if (newRef === undefined && (labelsChanged || oldRef !== undefined)) enqueueMatching(newPod);
        },
        delete: podGone,
      });
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

// The StatefulSet controller's wiring: informer handlers turn pods and StatefulSets into set keys
// (a pod maps to its controller, an orphan to every set whose selector matches it) and record what
// the pod informer observed against the expectations. ControllerRevisions are read from their
// lister only; as upstream, their events trigger nothing.
import { CONTROLLER_REVISIONS, PODS, STATEFUL_SETS } from '../../client/resource-types.js';
import { componentLogger } from '../../lib/logger.js';
import type { ControllerFactory } from '../framework/controller-context.js';
import type { ControllerRevisionObject } from '../framework/controller-history.js';
import { getControllerOf } from '../framework/controller-ref.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { objectKey } from '../framework/object-key.js';
import { cachedOwner, ownersSelecting } from '../framework/owner-lookup.js';
import { ownedPodHandlers } from '../framework/owned-pod-handlers.js';
import { PodExpectations } from './pod-expectations.js';
import { STATEFUL_SET_TYPE, type StatefulSetObject } from './stateful-set-spec.js';
import { StatefulSetReconciler } from './stateful-set-reconciler.js';




export const statefulSetController: ControllerFactory = (context) => {
  const podInformer = context.informers.informerFor<Pod>(PODS);
  const setInformer = context.informers.informerFor<StatefulSetObject>(STATEFUL_SETS);
  const revisionInformer = context.informers.informerFor<ControllerRevisionObject>(CONTROLLER_REVISIONS);
  const sets = setInformer.lister;
  const expectations = new PodExpectations({ clock: context.clock });
  const reconciler = new StatefulSetReconciler({
    clients: context.clients,
    pods: podInformer.lister,
    statefulSets: sets,
    revisions: revisionInformer.lister,
    expectations,
    clock: context.clock,
    logger: componentLogger(context.logger, 'statefulset-controller'),
    recorder: context.recorder,
  });
  const controllerOf = (pod: Pod): StatefulSetObject | undefined => cachedOwner(pod.metadata?.namespace, getControllerOf(pod), STATEFUL_SET_TYPE, sets);

  return {
    reconciler,
    connect(enqueue) {
      podInformer.addHandlers(ownedPodHandlers({
        controllerOf,
        selecting: (pod) => ownersSelecting(pod, sets),
        enqueue,
        creationObserved: (key) => expectations.creationObserved(key),
        // A pod that is gone, or terminating, fulfils a delete expectation.
        deletionObserved: (key, uid) => expectations.deletionObserved(key, uid),
      }));
      setInformer.addHandlers({
        add: (set) => enqueue(objectKey(set)),
        update: (_old, set) => enqueue(objectKey(set)),
        delete: (set) => {
          expectations.forget(objectKey(set));
          enqueue(objectKey(set));
        },
      });
    },
  };
};

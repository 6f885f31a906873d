// The DaemonSet controller's wiring: informer handlers turn DaemonSets, their pods and revisions,
// and nodes into DaemonSet keys, and record what the pod informer observed against expectations.
// A pod or revision maps to its controller; an orphan to every DaemonSet whose selector matches
// it; a node to every DaemonSet whose placement on it changed.
import type { KubeObject } from '../../api/object.js';
import { CONTROLLER_REVISIONS, DAEMON_SETS, NODES, PODS } from '../../client/resource-types.js';
import { componentLogger } from '../../lib/logger.js';
import type { ControllerFactory } from '../framework/controller-context.js';
import { getControllerOf } from '../framework/controller-ref.js';
import { objectKey } from '../framework/object-key.js';
import { cachedOwner, ownersSelecting, sameLabels } from '../framework/owner-lookup.js';
import { isPodReady } from '../framework/pod-utils.js';
import { CreateDeleteExpectations } from './create-delete-expectations.js';
import { DaemonSetReconciler } from './daemon-set-reconciler.js';
import {
  DAEMON_SET_TYPE, minReadySeconds, type ControllerRevisionObject, type DaemonSetObject, type NodeObject, type PodObject,
} from './daemon-set-types.js';
import { FailedPodsBackoff } from './failed-pods-backoff.js';
import { nodeShouldRunDaemonPod } from './node-should-run-daemon-pod.js';




export const daemonSetController: ControllerFactory = (context) => {
  const dsInformer = context.informers.informerFor<DaemonSetObject>(DAEMON_SETS);
  const podInformer = context.informers.informerFor<PodObject>(PODS);
  const nodeInformer = context.informers.informerFor<NodeObject>(NODES);
  const revisionInformer = context.informers.informerFor<ControllerRevisionObject>(CONTROLLER_REVISIONS);
  const daemonSets = dsInformer.lister;
  const expectations = new CreateDeleteExpectations({ clock: context.clock });
  const reconciler = new DaemonSetReconciler({
    clients: context.clients,
    daemonSets,
    pods: podInformer.lister,
    nodes: nodeInformer.lister,
    revisions: revisionInformer.lister,
    expectations,
    backoff: new FailedPodsBackoff({ clock: context.clock }),
    clock: context.clock,
    logger: componentLogger(context.logger, 'daemonset-controller'),
    recorder: context.recorder,
  });

  return {
    reconciler,
    connect(enqueue, enqueueAfter) {
      const enqueueSelecting = (object: KubeObject): void => {
        for (const ds of ownersSelecting(object, daemonSets)) enqueue(objectKey(ds));
      };
      const controllerOf = (object: KubeObject): DaemonSetObject | undefined =>
        cachedOwner(object.metadata?.namespace, getControllerOf(object), DAEMON_SET_TYPE, daemonSets);

      /** Shared by pods and revisions: the old controller, the new one, or the orphan's candidates. */
      const ownedObjectChanged = (oldObject: KubeObject, newObject: KubeObject): DaemonSetObject | undefined => {
        const oldRef = getControllerOf(oldObject);
        const newRef = getControllerOf(newObject);
        if (oldRef !== undefined && oldRef.uid !== newRef?.uid) {
          const previous = controllerOf(oldObject);
          if (previous !== undefined) enqueue(objectKey(previous));
        }
        const ds = controllerOf(newObject);
        if (ds !== undefined) enqueue(objectKey(ds));
        else if (newRef === undefined && (!sameLabels(oldObject, newObject) || oldRef !== undefined)) enqueueSelecting(newObject);
        return ds;
      };

      // A pod that is gone, or terminating, fulfils a delete expectation.
      const podGone = (pod: PodObject): void => {
        const ds = controllerOf(pod);
        if (ds === undefined) return;
        const key = objectKey(ds);
        expectations.deletionObserved(key, pod.metadata?.uid ?? '');
        enqueue(key);
      };
      podInformer.addHandlers({
        add: (pod) => {
          if (pod.metadata?.deletionTimestamp !== undefined) return podGone(pod);
          const ds = controllerOf(pod);
          if (ds !== undefined) {
            expectations.creationObserved(objectKey(ds));
            enqueue(objectKey(ds));
          } else if (getControllerOf(pod) === undefined) {
            enqueueSelecting(pod);
          }
        },
        update: (oldPod, newPod) => {
          if (oldPod.metadata?.resourceVersion === newPod.metadata?.resourceVersion) return; // resync
          if (newPod.metadata?.deletionTimestamp !== undefined) return podGone(newPod);
          const ds = ownedObjectChanged(oldPod, newPod);
          // Available comes minReadySeconds after Ready, with no event of its own: look again then
          // (one second more, so the clock has surely passed it).
          if (ds !== undefined && minReadySeconds(ds) > 0 && !isPodReady(oldPod) && isPodReady(newPod)) {
            enqueueAfter(objectKey(ds), (minReadySeconds(ds) + 1) * 1000);
          }
        },
        delete: podGone,
      });

      revisionInformer.addHandlers({
        add: (revision) => {
          const ds = controllerOf(revision);
          if (ds !== undefined) enqueue(objectKey(ds));
          else if (getControllerOf(revision) === undefined && revision.metadata?.deletionTimestamp === undefined) enqueueSelecting(revision);
        },
        update: (oldRevision, newRevision) => {
          if (oldRevision.metadata?.resourceVersion === newRevision.metadata?.resourceVersion) return;
          ownedObjectChanged(oldRevision, newRevision);
        },
        delete: (revision) => {
          const ds = controllerOf(revision);
          if (ds !== undefined) enqueue(objectKey(ds));
        },
      });

      // Placement depends only on a node's name, labels and taints, so comparing it before and
      // after covers every node change that matters (heartbeats compare equal and enqueue nothing).
      // A deleted node needs nothing here: the pod GC removes pods bound to it.
      nodeInformer.addHandlers({
        add: (node) => {
          for (const ds of daemonSets.list()) if (nodeShouldRunDaemonPod(node, ds).shouldRun) enqueue(objectKey(ds));
        },
        update: (oldNode, newNode) => {
          if (oldNode.metadata?.resourceVersion === newNode.metadata?.resourceVersion) return;
          for (const ds of daemonSets.list()) {
            const before = nodeShouldRunDaemonPod(oldNode, ds);
            const after = nodeShouldRunDaemonPod(newNode, ds);
            if (before.shouldRun !== after.shouldRun || before.shouldContinueRunning !== after.shouldContinueRunning) enqueue(objectKey(ds));
          }
        },
      });

      dsInformer.addHandlers({
        add: (ds) => enqueue(objectKey(ds)),
        update: (oldDs, ds) => {
          // Deleted and recreated under the same name between two events: start clean.
          if (oldDs.metadata?.uid !== ds.metadata?.uid) expectations.delete(objectKey(oldDs));
          enqueue(objectKey(ds));
        },
        delete: (ds) => {
          expectations.delete(objectKey(ds));
          enqueue(objectKey(ds));
        },
      });
    },
  };
};

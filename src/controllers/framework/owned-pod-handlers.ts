// The pod informer handlers of a controller that owns pods by controller reference and adopts
// orphans by selector (ReplicaSet, StatefulSet): each pod event becomes the key of the owner it
// concerns, and what the cache observed settles that owner's expectations.
//   - add: the pod's controller (a create observed), or, for an orphan, every owner whose
//     selector matches it (one may adopt it); a pod added already terminating counts as gone;
//   - update: the new controller, and the old one when the reference moved; for an orphan whose
//     labels or reference changed, the owners that now select it; a pod turning terminating
//     counts as gone (it no longer counts toward replicas), for its old owner too if relabelled;
//   - delete: gone.
// Resyncs (same resourceVersion) are ignored.
import type { InformerHandlers } from '../../client/informer/informer.js';
import { getControllerOf } from './controller-ref.js';
import type { KubeObject } from '../../api/object.js';
import type { PodObject as Pod } from './kube-object-types.js';
import { objectKey } from './object-key.js';
import { sameLabels } from './owner-lookup.js';

export interface OwnedPodHandlerOptions<Owner extends KubeObject> {
  /** The cached owner `pod`'s controller reference names. */
  readonly controllerOf: (pod: Pod) => Owner | undefined;
  /** The cached owners whose selector matches `pod` (candidates to adopt an orphan). */
  readonly selecting: (pod: Pod) => Owner[];
  readonly enqueue: (ownerKey: string) => void;
  readonly creationObserved: (ownerKey: string) => void;
  readonly deletionObserved: (ownerKey: string, podUid: string) => void;
}

export function ownedPodHandlers<Owner extends KubeObject>(options: OwnedPodHandlerOptions<Owner>): InformerHandlers<Pod> {
  const { controllerOf, enqueue } = options;
  const enqueueSelecting = (pod: Pod): void => {
    for (const owner of options.selecting(pod)) enqueue(objectKey(owner));
  };
  const podGone = (pod: Pod): void => {
    const owner = controllerOf(pod);
    if (owner === undefined) return;
    const key = objectKey(owner);
    options.deletionObserved(key, pod.metadata?.uid ?? '');
    enqueue(key);
  };
  return {
    add: (pod) => {
      if (pod.metadata?.deletionTimestamp !== undefined) {
        podGone(pod);
        return;
      }
      const owner = controllerOf(pod);
      if (owner !== undefined) {
        options.creationObserved(objectKey(owner));
        enqueue(objectKey(owner));
      } else if (getControllerOf(pod) === undefined) {
        enqueueSelecting(pod);
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
        const oldOwner = controllerOf(oldPod);
        if (oldOwner !== undefined) enqueue(objectKey(oldOwner));
      }
      const owner = controllerOf(newPod);
      if (owner !== undefined) enqueue(objectKey(owner));
      else if (newRef === undefined && (labelsChanged || oldRef !== undefined)) enqueueSelecting(newPod);
    },
    delete: podGone,
  };
}

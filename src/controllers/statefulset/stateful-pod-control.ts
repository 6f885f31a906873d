// The writes a StatefulSet makes to its pods, each with the Event upstream records
// (upstream: StatefulPodControl): "create Pod web-0 in StatefulSet web successful",
// "delete Pod web-1 in StatefulSet web failed error: ...".
import type { EventRecorder } from '../../client/events/event-recorder.js';
import type { ResourceClient } from '../../client/resource-client.js';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../../lib/errors.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { identityLabels } from './stateful-pod-identity.js';
import type { StatefulSetObject } from './stateful-set-spec.js';

type Verb = 'create' | 'update' | 'delete';

/** What a delete found: the pod deleted now, or already gone (or replaced by a pod of the same name). */
export type DeleteOutcome = 'deleted' | 'gone';

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function capitalized(verb: Verb): string {
  return verb.charAt(0).toUpperCase() + verb.slice(1);
}

export class StatefulPodControl {
  private readonly pods: ResourceClient<Pod>;
  private readonly recorder: EventRecorder;

  constructor(options: { readonly pods: ResourceClient<Pod>; readonly recorder: EventRecorder }) {
    this.pods = options.pods;
    this.recorder = options.recorder;
  }

  /**
   * Creates a member. AlreadyExists gets no Event, as upstream: the pod is there, the cache has
   * not shown it yet (or someone else's pod has the name); the error makes the pass retry.
   */
  async create(set: StatefulSetObject, pod: Pod): Promise<void> {
    try {
      await this.pods.create(pod.metadata?.namespace, pod);
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) this.record('create', set, pod, error);
      throw error;
    }
    this.record('create', set, pod, undefined);
  }

  /**
   * Deletes the pod with this uid. The uid precondition matters because names are reused: a stale
   * cache must never delete the member that already replaced the pod it meant.
   */
  async delete(set: StatefulSetObject, pod: Pod): Promise<DeleteOutcome> {
    try {
      await this.pods.delete(pod.metadata?.namespace, pod.metadata?.name ?? '', { preconditions: { uid: pod.metadata?.uid ?? '' } });
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof ConflictError) return 'gone';
      this.record('delete', set, pod, error);
      throw error;
    }
    this.record('delete', set, pod, undefined);
    return 'deleted';
  }

  /**
   * Puts the identity labels on a member (upstream: UpdateStatefulPod with updateIdentity). A
   * merge patch of those two labels needs no resourceVersion: it writes fixed values and nothing it
   * read, so a concurrent status update of the pod cannot make it wrong.
   */
  async relabel(set: StatefulSetObject, pod: Pod, ordinal: number): Promise<void> {
    try {
      await this.pods.patch(pod.metadata?.namespace, pod.metadata?.name ?? '', 'merge', { metadata: { labels: identityLabels(set, ordinal) } });
    } catch (error) {
      this.record('update', set, pod, error);
      throw error;
    }
    this.record('update', set, pod, undefined);
  }

  private record(verb: Verb, set: StatefulSetObject, pod: Pod, error: unknown): void {
    const podName = pod.metadata?.name ?? '';
    const setName = set.metadata?.name ?? '';
    if (error === undefined) {
      this.recorder.event(set, 'Normal', `Successful${capitalized(verb)}`, `${verb} Pod ${podName} in StatefulSet ${setName} successful`);
    } else {
      this.recorder.event(set, 'Warning', `Failed${capitalized(verb)}`,
        `${verb} Pod ${podName} in StatefulSet ${setName} failed error: ${errorMessage(error)}`);
    }
  }
}

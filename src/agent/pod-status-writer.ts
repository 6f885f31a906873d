// Writes a pod's status through the status subresource only when it changed. On a conflict (the
// informer's copy was stale, or someone else wrote) it re-reads, recomputes against the fresh pod
// and tries once more; a pod that is gone is not an error.
import { isDeepStrictEqual } from 'node:util';
import type { PodStatus } from 'kubernetes-types/core/v1.js';
import type { PodObject } from './object-types.js';
import type { ResourceClient } from '../client/resource-client.js';
import { ConflictError, NotFoundError } from '../lib/errors.js';

export class PodStatusWriter {
  private readonly pods: ResourceClient<PodObject>;
  /** The newest pod the server returned to us, per uid (newer than a lagging informer). */
  private readonly written = new Map<string, PodObject>();

  constructor(options: { pods: ResourceClient<PodObject> }) {
    this.pods = options.pods;
  }

  /** The freshest copy known: the informer's, or ours when the informer has not caught up. */
  freshest(pod: PodObject): PodObject {
    const ours = this.written.get(pod.metadata?.uid ?? '');
    if (!ours) return pod;
    const a = Number(pod.metadata?.resourceVersion);
    const b = Number(ours.metadata?.resourceVersion);
    return Number.isFinite(a) && Number.isFinite(b) && b > a ? ours : pod;
  }

  forget(uid: string): void {
    this.written.delete(uid);
  }

  /** Returns whether a write happened. */
  async write(pod: PodObject, compute: (pod: PodObject) => PodStatus): Promise<boolean> {
    const namespace = pod.metadata?.namespace;
    let current = pod;
    for (let attempt = 0; attempt < 2; attempt++) {
      const status = compute(current);
      if (isDeepStrictEqual(status, current.status)) return false;
      try {
        // readOnly: the saved pod is only read (as the informer's frozen pods are), never changed.
        const saved = await this.pods.updateStatus(namespace, { ...current, status }, { readOnly: true });
        this.written.set(saved.metadata?.uid ?? '', saved);
        return true;
      } catch (error) {
        if (error instanceof NotFoundError) return false;
        if (!(error instanceof ConflictError) || attempt > 0) throw error;
        current = await this.pods.get(namespace, pod.metadata?.name ?? '');
        if (current.metadata?.uid !== pod.metadata?.uid) return false;
      }
    }
    return false;
  }
}

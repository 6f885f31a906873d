// Finalizer-removal expectations (upstream: uidTrackingExpectations). After a pass removes the
// tracking finalizer from pods and counts them, the pod cache may still show those pods with the
// finalizer for a while; without this record the next pass would count them a second time.
//
// Worked example: pod P succeeds. Pass 1 writes P's uid to uncountedTerminatedPods.succeeded,
// removes P's finalizer, then writes succeeded=1 with the uid list empty, and expects P's removal
// here. Pass 2 runs on a Job cache that already shows succeeded=1 but a pod cache that still shows
// P with the finalizer: P is skipped because its uid is expected here. When the pod informer
// delivers P without the finalizer (or P's deletion), the uid is crossed off.
export class FinalizerRemovalExpectations {
  private readonly byJob = new Map<string, Set<string>>();

  expectRemovals(jobKey: string, uids: readonly string[]): void {
    const set = this.byJob.get(jobKey) ?? new Set<string>();
    for (const uid of uids) set.add(uid);
    this.byJob.set(jobKey, set);
  }

  /** The informer saw the pod without the finalizer or gone (or our removal failed). */
  removalObserved(jobKey: string, uid: string): void {
    this.byJob.get(jobKey)?.delete(uid);
  }

  /** A snapshot of the uids still awaited for `jobKey`. */
  expected(jobKey: string): ReadonlySet<string> {
    return new Set(this.byJob.get(jobKey) ?? []);
  }

  /** Forgets `jobKey` (the Job is gone). */
  delete(jobKey: string): void {
    this.byJob.delete(jobKey);
  }
}

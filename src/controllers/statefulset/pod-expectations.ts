// The creates and deletes of a StatefulSet's pods still in flight. A Parallel pass can create some
// members and delete others at once, while one framework Expectations record holds either adds or
// deletes (each expect* call replaces the record), so creates and deletes get a record each.
//
// Names make a double create impossible (the second gets AlreadyExists), but a cache that has not
// seen a delete yet would still show the old pod: a rolling update would try to delete it again and
// a scale-down would count it. The set waits for its informer instead, as the ReplicaSet does.
import type { Clock } from '../../lib/clock.js';
import { Expectations } from '../framework/expectations.js';

export class PodExpectations {
  private readonly creates: Expectations;
  private readonly deletes: Expectations;

  constructor(options: { readonly clock: Clock }) {
    this.creates = new Expectations(options);
    this.deletes = new Expectations(options);
  }

  /** The pass may act: every expected create and delete was observed (or the records expired). */
  satisfied(key: string): boolean {
    return this.creates.satisfied(key) && this.deletes.satisfied(key);
  }

  /** Replaces both records: `creates` pods are being created, the pods with `deleteUids` deleted. */
  expect(key: string, creates: number, deleteUids: readonly string[]): void {
    this.creates.expectCreations(key, creates);
    this.deletes.expectDeletions(key, deleteUids);
  }

  /** The informer saw a created pod (or a create failed and will never be seen). */
  creationObserved(key: string): void {
    this.creates.creationObserved(key);
  }

  /** The informer saw the pod go or start terminating (or our delete of it did not happen). */
  deletionObserved(key: string, uid: string): void {
    this.deletes.deletionObserved(key, uid);
  }

  /** Forgets `key` (the set is gone). */
  forget(key: string): void {
    this.creates.delete(key);
    this.deletes.delete(key);
  }

  /** For tests and logs: what is still awaited. */
  pending(key: string): { readonly creates: number; readonly deletes: number } {
    return { creates: this.creates.pending(key)?.adds ?? 0, deletes: this.deletes.pending(key)?.deletes ?? 0 };
  }
}

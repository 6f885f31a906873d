// In-flight creates AND deletes for one key (upstream: ControllerExpectations.SetExpectations(key,
// adds, dels)). A DaemonSet pass may create pods on some nodes and delete pods on others at once;
// the framework's Expectations records one kind per key, so this pairs two of them.
import type { Clock } from '../../lib/clock.js';
import { Expectations } from '../framework/expectations.js';

export class CreateDeleteExpectations {
  private readonly creations: Expectations;
  private readonly deletions: Expectations;

  constructor(options: { readonly clock: Clock; readonly ttlMs?: number }) {
    this.creations = new Expectations(options);
    this.deletions = new Expectations(options);
  }

  /** Nothing in flight (or the records expired): the cache is fresh enough to act on. */
  satisfied(key: string): boolean {
    return this.creations.satisfied(key) && this.deletions.satisfied(key);
  }

  /** Replaces the record of `key`: `creates` pods and the pods with `deleteUids` are in flight. */
  expect(key: string, creates: number, deleteUids: readonly string[]): void {
    this.creations.expectCreations(key, creates);
    this.deletions.expectDeletions(key, deleteUids);
  }

  creationObserved(key: string): void {
    this.creations.creationObserved(key);
  }

  deletionObserved(key: string, uid: string): void {
    this.deletions.deletionObserved(key, uid);
  }

  delete(key: string): void {
    this.creations.delete(key);
    this.deletions.delete(key);
  }

  pending(key: string): { readonly adds: number; readonly deletes: number } {
    return { adds: this.creations.pending(key)?.adds ?? 0, deletes: this.deletions.pending(key)?.deletes ?? 0 };
  }
}

// FakeClientSet: an in-memory ClientSet for unit tests of controllers, the scheduler and agents.
//
// Modelled like the real API server: uid, creationTimestamp (from the optional clock),
// generateName, one global resourceVersion counter, optimistic concurrency (ConflictError on a
// stale metadata.resourceVersion in update/updateStatus/patch), update keeps status and
// updateStatus changes only status, metadata.generation starts at 1 and is bumped on spec change
// for apps/* and batch/* kinds, label and field selectors (any dotted path: metadata.name,
// spec.nodeName, status.phase ...), finalizers (delete sets deletionTimestamp; removing the last
// finalizer deletes), delete preconditions, watch from a resourceVersion with filtered
// ADDED/MODIFIED/DELETED, CompactedError after `compact()`, pods/binding (sets spec.nodeName and
// PodScheduled=True; Conflict if already bound) and pods/eviction (deletes).
//
// Not modelled: defaulting and validation, graceful deletion of pods (deletes are immediate),
// garbage collection of dependents, admission, the scale subresource, paging (limit/continue are
// ignored), managedFields. 'strategic' and 'apply' patches are applied as JSON merge patches.
import type { KubeObject } from '../../api/object.js';
import type { Clock } from '../../lib/clock.js';
import { systemClock } from '../../lib/clock.js';
import type { ClientSet, ResourceClient, ResourceType } from '../resource-client.js';
import { type FakeAction, type FakeReactor, type FakeVerb, WRITE_VERBS } from './fake-action.js';
import { FakeObjectStore, typeKeyOf } from './fake-object-store.js';
import { FakeResourceClient } from './fake-resource-client.js';

export type { FakeAction, FakeReactor, FakeVerb } from './fake-action.js';

export interface FakeClientSetOptions {
  /** Stamps creationTimestamp, deletionTimestamp, PodScheduled (default: the system clock). */
  readonly clock?: Clock;
}

export class FakeClientSet implements ClientSet {
  /** Every write (create, update, patch, delete, subresource create) in call order. */
  readonly actions: FakeAction[] = [];
  private readonly store = new FakeObjectStore();
  private readonly clock: Clock;
  private readonly clients = new Map<string, FakeResourceClient>();
  private readonly reactors: FakeReactor[] = [];

  constructor(options: FakeClientSetOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  resource<T extends KubeObject = KubeObject>(type: ResourceType): ResourceClient<T> {
    return this.client(type) as unknown as ResourceClient<T>;
  }

  private client(type: ResourceType): FakeResourceClient {
    const key = typeKeyOf(type);
    let client = this.clients.get(key);
    if (!client) {
      client = new FakeResourceClient({ type, store: this.store, clock: this.clock, record: (action) => this.record(action) });
      this.clients.set(key, client);
    }
    return client;
  }

  /**
   * Puts objects in place without logging actions or running reactors; each gets uid,
   * creationTimestamp, resourceVersion, kind/apiVersion like a create. Returns the stored copies.
   */
  seed<T extends KubeObject>(type: ResourceType, ...objects: T[]): T[] {
    const client = this.client(type);
    return objects.map((object) => client.insert(client.prepareNew(object.metadata?.namespace, object)) as T);
  }

  /** Adds a reactor (see FakeReactor); returns a function that removes it. */
  addReactor(reactor: FakeReactor): () => void {
    this.reactors.push(reactor);
    return () => {
      const index = this.reactors.indexOf(reactor);
      if (index >= 0) this.reactors.splice(index, 1);
    };
  }

  /**
   * Makes calls fail with `error`. `resource` is `pods` (any subresource), `pods/status` (just
   * that subresource) or `*`; `verb` may be `*`. `times` limits how many calls fail (default: all).
   */
  fail(verb: FakeVerb | '*', resource: string, error: Error, options: { readonly times?: number } = {}): () => void {
    let remaining = options.times ?? Infinity;
    return this.addReactor((action) => {
      if (remaining <= 0) return undefined;
      if (verb !== '*' && verb !== action.verb) return undefined;
      const full = action.subresource ? `${action.resource}/${action.subresource}` : action.resource;
      if (resource !== '*' && resource !== action.resource && resource !== full) return undefined;
      remaining -= 1;
      return error;
    });
  }

  /** Writes of one verb/resource, for assertions: `clients.writes('create', 'pods')`. */
  writes(verb?: FakeVerb, resource?: string): FakeAction[] {
    return this.actions.filter((a) => (verb === undefined || a.verb === verb) && (resource === undefined || a.resource === resource));
  }

  clearActions(): void {
    this.actions.length = 0;
  }

  /** Drops watch history up to `rv` (default: all so far): older watches get CompactedError. */
  compact(rv?: number): void {
    this.store.compact(rv);
  }

  /** Ends every open watch normally (as a server's timeoutSeconds or restart does). */
  endWatches(): void {
    this.store.endWatches();
  }

  /** The latest resourceVersion handed out. */
  get resourceVersion(): string {
    return String(this.store.currentRevision);
  }

  private async record(action: FakeAction): Promise<void> {
    if (WRITE_VERBS.has(action.verb)) this.actions.push(action);
    for (const reactor of [...this.reactors]) {
      const error = await reactor(action);
      if (error) throw error;
    }
  }
}

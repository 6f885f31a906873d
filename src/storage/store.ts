// The Store seam: a revisioned key/value log with compare-and-swap (DESIGN.md, "The seams").
//
// Every write gets the next global revision (a positive integer, strictly increasing, never reused
// across restarts). The apiserver uses a value's modRevision as the object's resourceVersion and
// the store's current revision as a list's resourceVersion, so revisions must never go backwards.
//
// Values are opaque strings to the store (the apiserver stores JSON). Keys are '/'-separated paths
// such as `/registry/apps/deployments/default/web`; "prefix" operations match keys by string prefix.
//
// Errors (from src/lib/errors.ts): NotFoundError, AlreadyExistsError, ConflictError,
// CompactedError, UnavailableError. Nothing else may escape a Store method.

export interface KeyValue {
  readonly key: string;
  readonly value: string;
  /** Revision of the write that created this key (unchanged by later updates). */
  readonly createRevision: number;
  /** Revision of the last write to this key. */
  readonly modRevision: number;
}

export interface ListOptions {
  /** Only keys starting with this string. */
  readonly prefix: string;
  /**
   * Read the state as it was at this revision (a consistent snapshot). Omitted: the current state.
   * A revision at or below the compacted revision throws CompactedError. A revision above the
   * current one is read as the current state.
   */
  readonly revision?: number;
  /** At most this many items (0 or omitted: no limit). */
  readonly limit?: number;
  /** Continue after this key (exclusive): the last key of the previous page. */
  readonly startAfter?: string;
}

export interface ListResult {
  /** In ascending key order. */
  readonly items: readonly KeyValue[];
  /** The revision the list was read at (the snapshot's revision; pass it back for the next page). */
  readonly revision: number;
  /** True when more keys match after the last item. */
  readonly more: boolean;
  /**
   * With a limit: how many keys match after the last item, at `revision` (0 when `more` is false).
   * Optional in the contract (absent: the backend cannot tell cheaply); when present it is exact.
   * The apiserver hands it out as a list's metadata.remainingItemCount.
   */
  readonly remaining?: number;
}

export type StoreEventType = 'added' | 'modified' | 'deleted';

export interface StoreEvent {
  readonly type: StoreEventType;
  /** The revision of this write. For 'deleted' the deletion's revision. */
  readonly revision: number;
  /** For added/modified: the new value. For deleted: the last value before deletion, with modRevision = the deletion revision. */
  readonly kv: KeyValue;
  /** The value before this write (modified and deleted only). */
  readonly prevKv?: KeyValue;
}

export interface WatchOptions {
  readonly prefix: string;
  /** Deliver every event with revision > afterRevision, in revision order, with no gaps or duplicates. */
  readonly afterRevision: number;
  /** Ends the watch: the iterator returns (no error). */
  readonly signal: AbortSignal;
}

/**
 * A watch is an async iterable of events in revision order. If `afterRevision` is compacted the
 * iterator throws CompactedError (on the first next()). If the backend connection drops, the
 * iterator throws UnavailableError; callers resume with a new watch from the last revision seen.
 */
export type Watch = AsyncIterable<StoreEvent>;

export interface Store {
  /** Current state of one key, or undefined. */
  get(key: string): Promise<KeyValue | undefined>;
  list(options: ListOptions): Promise<ListResult>;
  /** Count of keys under a prefix (current state). */
  count(prefix: string): Promise<number>;
  /** Creates the key; AlreadyExistsError if it exists. Resolves only once the write is durable. */
  create(key: string, value: string): Promise<KeyValue>;
  /**
   * Replaces the value if the key's modRevision equals expectedRevision.
   * NotFoundError if missing; ConflictError if the revision differs. Durable on resolve.
   */
  update(key: string, value: string, expectedRevision: number): Promise<KeyValue>;
  /**
   * Deletes the key (if expectedRevision is given, only at that modRevision: else ConflictError).
   * Returns the deleted value with modRevision set to the deletion revision. NotFoundError if missing.
   */
  delete(key: string, expectedRevision?: number): Promise<KeyValue>;
  watch(options: WatchOptions): Watch;
  /** The revision of the last write (0 for an empty store). */
  currentRevision(): Promise<number>;
  /** Forgets history at or below `revision` (the latest value of every live key is kept). */
  compact(revision: number): Promise<void>;
  /** Highest revision that has been compacted away (0 if none). */
  compactedRevision(): Promise<number>;
  close(): Promise<void>;
}

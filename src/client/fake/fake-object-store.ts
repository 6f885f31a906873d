// The in-memory state behind FakeClientSet: objects per resource, one global resourceVersion
// counter (like etcd's revision, shared by every resource), and a history of changes that watches
// replay. `compact(rv)` drops history so tests can provoke a 410 (CompactedError) on purpose.
import type { KubeObject } from '../../api/object.js';
import { CompactedError } from '../../lib/errors.js';

export type StoredEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  readonly rv: number;
  /** `group/resource`, see typeKeyOf. */
  readonly typeKey: string;
  readonly type: StoredEventType;
  /** The new state; for DELETED the last state, stamped with the deletion's resourceVersion. */
  readonly object: KubeObject;
  /** The state before a MODIFIED, so filtered watches can turn leaving the selection into DELETED. */
  readonly previous?: KubeObject;
}

export function typeKeyOf(type: { readonly group: string; readonly resource: string }): string {
  return `${type.group}/${type.resource}`;
}

export function objectKeyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export class FakeObjectStore {
  private revision = 0;
  private compactedRevision = 0;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoredEvent[] = [];
  private readonly listeners = new Set<(event: StoredEvent) => void>();
  private readonly enders = new Set<() => void>();

  get currentRevision(): number {
    return this.revision;
  }

  get oldestWatchableRevision(): number {
    return this.compactedRevision;
  }

  nextRevision(): number {
    this.revision += 1;
    return this.revision;
  }

  get(typeKey: string, key: string): KubeObject | undefined {
    return this.objects.get(typeKey)?.get(key);
  }

  all(typeKey: string): KubeObject[] {
    return [...(this.objects.get(typeKey)?.values() ?? [])];
  }

  /**
   * Stores (or removes, for DELETED) an object whose metadata.resourceVersion is already `rv` and
   * tells every watcher. Objects are stored as given: callers hand over a private copy.
   */
  commit(typeKey: string, key: string, type: StoredEventType, object: KubeObject, previous?: KubeObject): void {
    let byKey = this.objects.get(typeKey);
    if (!byKey) {
      byKey = new Map();
      this.objects.set(typeKey, byKey);
    }
    if (type === 'DELETED') byKey.delete(key);
    else byKey.set(key, object);
    const rv = Number(object.metadata?.resourceVersion ?? this.revision);
    const event: StoredEvent = previous ? { rv, typeKey, type, object, previous } : { rv, typeKey, type, object };
    this.history.push(event);
    for (const listener of this.listeners) listener(event);
  }

  /** Events of one resource after `rv`; throws CompactedError when part of that range is gone. */
  eventsAfter(typeKey: string, rv: number): StoredEvent[] {
    if (rv < this.compactedRevision) throw new CompactedError(rv, this.compactedRevision);
    return this.history.filter((event) => event.rv > rv && event.typeKey === typeKey);
  }

  /** `onEnd` is called by endWatches(). Returns the unsubscribe function. */
  subscribe(listener: (event: StoredEvent) => void, onEnd: () => void): () => void {
    this.listeners.add(listener);
    this.enders.add(onEnd);
    return () => {
      this.listeners.delete(listener);
      this.enders.delete(onEnd);
    };
  }

  /** Ends every open watch normally, as a server does on timeoutSeconds or restart. */
  endWatches(): void {
    for (const end of [...this.enders]) end();
  }

  /** Forgets history up to and including `rv` (default: everything so far). */
  compact(rv = this.revision): void {
    this.compactedRevision = Math.max(this.compactedRevision, rv);
    const keep = this.history.filter((event) => event.rv > this.compactedRevision);
    this.history.length = 0;
    this.history.push(...keep);
  }
}

// Keeps a lagging EndpointSlice cache from making the controller act twice (upstream:
// EndpointSliceTracker; DESIGN.md "expectations"). After each write the controller records what
// the cache must show before its view of that service can be trusted again:
//   - a created slice: present (by name);
//   - an updated slice: no longer at the resourceVersion the update replaced;
//   - a deleted slice: absent (by uid).
// While anything is outstanding the service is "stale" and its sync waits.
//
// Worked example: a sync creates slice web-abcde. A pod event syncs `web` again before the
// informer has delivered web-abcde: the cache shows no slice, which alone would create a second
// one; the tracker says stale, so the sync waits. The ADDED event settles it.
import type { Clock } from '../../lib/clock.js';
import { EXPECTATIONS_TTL_MS } from '../framework/expectations.js';
import type { EndpointSliceObject } from '../endpoints/endpoint-object-types.js';

type Pending =
  | { readonly kind: 'create'; readonly at: number }
  | { readonly kind: 'update'; readonly replacedVersion: string; readonly at: number }
  | { readonly kind: 'delete'; readonly uid: string; readonly at: number };

export class EndpointSliceTracker {
  private readonly clock: Clock;
  private readonly ttlMs: number;
  /** service key -> slice name -> what we wait for */
  private readonly pending = new Map<string, Map<string, Pending>>();

  constructor(options: { readonly clock: Clock; readonly ttlMs?: number }) {
    this.clock = options.clock;
    this.ttlMs = options.ttlMs ?? EXPECTATIONS_TTL_MS;
  }

  private entries(serviceKey: string): Map<string, Pending> {
    let entries = this.pending.get(serviceKey);
    if (entries === undefined) this.pending.set(serviceKey, (entries = new Map()));
    return entries;
  }

  created(serviceKey: string, slice: EndpointSliceObject): void {
    this.entries(serviceKey).set(slice.metadata?.name ?? '', { kind: 'create', at: this.clock.now().getTime() });
  }

  /** `replacedVersion`: the resourceVersion of the slice the update was based on. */
  updated(serviceKey: string, name: string, replacedVersion: string): void {
    this.entries(serviceKey).set(name, { kind: 'update', replacedVersion, at: this.clock.now().getTime() });
  }

  deleted(serviceKey: string, slice: EndpointSliceObject): void {
    this.entries(serviceKey).set(slice.metadata?.name ?? '', { kind: 'delete', uid: slice.metadata?.uid ?? '', at: this.clock.now().getTime() });
  }

  /**
   * Settles what `cached` (the service's slices in the cache) shows, and reports whether anything
   * is still outstanding. Records older than the TTL are dropped (an event was lost).
   */
  stale(serviceKey: string, cached: readonly EndpointSliceObject[]): boolean {
    const entries = this.pending.get(serviceKey);
    if (entries === undefined) return false;
    const now = this.clock.now().getTime();
    const byName = new Map(cached.map((slice) => [slice.metadata?.name ?? '', slice]));
    for (const [name, entry] of entries) {
      const slice = byName.get(name);
      const settled =
        now - entry.at > this.ttlMs ||
        (entry.kind === 'create' && slice !== undefined) ||
        (entry.kind === 'update' && slice?.metadata?.resourceVersion !== entry.replacedVersion) ||
        (entry.kind === 'delete' && slice?.metadata?.uid !== entry.uid);
      if (settled) entries.delete(name);
    }
    if (entries.size === 0) this.pending.delete(serviceKey);
    return entries.size > 0;
  }

  /** Forgets a deleted service. */
  forget(serviceKey: string): void {
    this.pending.delete(serviceKey);
  }
}

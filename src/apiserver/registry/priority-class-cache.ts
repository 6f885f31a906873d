// The PriorityClasses as Priority admission sees them: a map kept current by a watch on the
// registry (upstream's admission plugin reads an informer's lister the same way). Reading the store
// on every pod create would cost a store list per pod (with etcd, a round trip); the watch costs
// nothing per pod. The watch starts on first use and waits for its initial events; if it ever
// ends (the registry closing), the next use starts a new one.
//
// Like upstream's lister, the map can lag a write by a moment. A class looked up by name that is
// not in the map yet is read from the registry, so a pod created right after its class is never
// refused; the globalDefault choice for a pod without a class may miss a class created a moment
// before it (upstream has the same window).
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import { K8tsError } from '../../lib/errors.js';
import type { ResourceRegistry } from './registry-types.js';

/** Where the classes live (resolved lazily: the registry is built after its write hooks). */
export type PriorityClassSource = () => ResourceRegistry | undefined;

const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

export class PriorityClassCache {
  readonly #source: PriorityClassSource;
  #classes = new Map<string, PriorityClass>();
  #synced: Promise<void> | undefined;

  constructor(source: PriorityClassSource) {
    this.#source = source;
  }

  async all(): Promise<PriorityClass[]> {
    await this.#ensureStarted();
    return [...this.#classes.values()];
  }

  /** Every class as the registry has it now (a store read: for the rare class writes). */
  async current(): Promise<PriorityClass[]> {
    const registry = this.#source();
    return registry ? ((await registry.list(undefined, {})).items as unknown as PriorityClass[]) : [];
  }

  /** The class of that name, or undefined when it does not exist. */
  async get(name: string): Promise<PriorityClass | undefined> {
    await this.#ensureStarted();
    const cached = this.#classes.get(name);
    if (cached) return cached;
    const registry = this.#source();
    if (!registry) return undefined;
    try {
      return (await registry.get(undefined, name)) as unknown as PriorityClass;
    } catch (error) {
      if (error instanceof K8tsError && error.code === 'NotFound') return undefined;
      throw error;
    }
  }

  #ensureStarted(): Promise<void> {
    this.#synced ??= this.#start();
    return this.#synced;
  }

  #start(): Promise<void> {
    const registry = this.#source();
    if (!registry) return Promise.resolve();
    const classes = new Map<string, PriorityClass>();
    this.#classes = classes;
    let markSynced = (): void => undefined;
    const synced = new Promise<void>((resolve) => (markSynced = resolve));
    // Ends only when the registry closes (no signal of its own: it lives as long as the registry).
    const events = registry.watch(undefined, { sendInitialEvents: true, allowWatchBookmarks: true, signal: new AbortController().signal });
    void (async () => {
      try {
        for await (const event of events) {
          const pc = event.object as unknown as PriorityClass;
          const name = pc.metadata?.name ?? '';
          if (event.type === 'BOOKMARK') {
            if (pc.metadata?.annotations?.[INITIAL_EVENTS_END] === 'true') markSynced();
          } else if (event.type === 'DELETED') classes.delete(name);
          else if (event.type === 'ADDED' || event.type === 'MODIFIED') classes.set(name, pc);
        }
      } catch {
        // A broken watch is replaced on next use, below.
      } finally {
        if (this.#synced === synced) this.#synced = undefined;
        markSynced();
      }
    })();
    return synced;
  }
}

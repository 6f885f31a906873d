// Watch over FakeObjectStore: replays history after the requested resourceVersion, then follows
// live commits, with no gap between the two (subscribe and read history in one synchronous step).
// A filtered watch behaves like the real one: an object that stops matching is sent as DELETED,
// one that starts matching as ADDED.
import type { KubeObject } from '../../api/object.js';
import type { ClientWatchEvent } from '../resource-client.js';
import type { FakeObjectStore, StoredEvent } from './fake-object-store.js';

export interface FakeWatchOptions {
  readonly store: FakeObjectStore;
  readonly typeKey: string;
  readonly matches: (object: KubeObject) => boolean;
  /** Absent or '0': current state as ADDED events first. */
  readonly resourceVersion: string | undefined;
  readonly signal: AbortSignal;
}

function translate(event: StoredEvent, matches: (object: KubeObject) => boolean): ClientWatchEvent<KubeObject> | undefined {
  const now = matches(event.object);
  if (event.type === 'ADDED') return now ? { type: 'ADDED', object: structuredClone(event.object) } : undefined;
  if (event.type === 'DELETED') return now ? { type: 'DELETED', object: structuredClone(event.object) } : undefined;
  const before = event.previous ? matches(event.previous) : now;
  if (now && before) return { type: 'MODIFIED', object: structuredClone(event.object) };
  if (now) return { type: 'ADDED', object: structuredClone(event.object) };
  if (before) return { type: 'DELETED', object: structuredClone(event.object) };
  return undefined;
}

export async function* fakeWatch(options: FakeWatchOptions): AsyncGenerator<ClientWatchEvent<KubeObject>> {
  const { store, typeKey, matches, signal } = options;
  if (signal.aborted) return;
  const pending: StoredEvent[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  const unsubscribe = store.subscribe(
    (event) => {
      if (event.typeKey !== typeKey) return;
      pending.push(event);
      wake?.();
    },
    () => {
      ended = true;
      wake?.();
    },
  );
  const onAbort = (): void => wake?.();
  signal.addEventListener('abort', onAbort);
  try {
    const from = options.resourceVersion && options.resourceVersion !== '0' ? Number(options.resourceVersion) : undefined;
    const initial: ClientWatchEvent<KubeObject>[] = [];
    if (from === undefined) {
      for (const object of store.all(typeKey)) {
        if (matches(object)) initial.push({ type: 'ADDED', object: structuredClone(object) });
      }
    } else {
      // Throws CompactedError when `from` is older than the retained history.
      for (const event of store.eventsAfter(typeKey, from)) {
        const translated = translate(event, matches);
        if (translated) initial.push(translated);
      }
    }
    // Everything committed so far is covered by `initial`; live events start after it.
    const seen = store.currentRevision;
    pending.splice(0, pending.length, ...pending.filter((event) => event.rv > seen));
    for (const event of initial) {
      if (signal.aborted || ended) return;
      yield event;
    }
    while (!signal.aborted) {
      if (ended && pending.length === 0) return;
      const next = pending.shift();
      if (next) {
        const translated = translate(next, matches);
        if (translated) yield translated;
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    unsubscribe();
    signal.removeEventListener('abort', onAbort);
  }
}

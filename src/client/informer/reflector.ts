// The list+watch loop behind an informer (client-go's Reflector): list, then watch from the
// list's resourceVersion; when a watch ends (server timeout, restart) resume from the last
// resourceVersion seen; on CompactedError (410: that resourceVersion is gone) relist, and the
// sink turns the difference into adds/updates/deletes; on any other error back off and retry.
import type { KubeObject } from '../../api/object.js';
import { CompactedError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { ClientWatchEvent, ResourceClient } from '../resource-client.js';
import { sleep, type Timers } from '../timers.js';

export interface ReflectorSink<T extends KubeObject> {
  /** A full list: the cache must become exactly `items`. */
  replace(items: T[]): void;
  apply(event: ClientWatchEvent<T>): void;
}

export interface ReflectorOptions<T extends KubeObject> {
  readonly client: ResourceClient<T>;
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly sink: ReflectorSink<T>;
  readonly timers: Timers;
  readonly logger: Logger;
}

const INITIAL_BACKOFF_MS = 200;
const MAX_BACKOFF_MS = 30_000;
/** Watches are re-opened at least this often, so a silently dead connection cannot stall us. */
const WATCH_TIMEOUT_SECONDS = 300;

export class Reflector<T extends KubeObject> {
  private readonly options: ReflectorOptions<T>;
  private resourceVersion: string | undefined;

  constructor(options: ReflectorOptions<T>) {
    this.options = options;
  }

  /** The resourceVersion the cache reflects (undefined before the first list). */
  get lastSyncResourceVersion(): string | undefined {
    return this.resourceVersion;
  }

  /** Runs until the signal aborts; never throws. */
  async run(signal: AbortSignal): Promise<void> {
    const { client, namespace, sink, logger } = this.options;
    const selectors = {
      ...(this.options.labelSelector ? { labelSelector: this.options.labelSelector } : {}),
      ...(this.options.fieldSelector ? { fieldSelector: this.options.fieldSelector } : {}),
    };
    let failures = 0;
    let emptyEnds = 0;
    while (!signal.aborted) {
      try {
        if (this.resourceVersion === undefined) {
          const list = await client.list(namespace, { ...selectors, readOnly: true });
          sink.replace(list.items);
          this.resourceVersion = list.metadata.resourceVersion;
        }
        let received = 0;
        const events = client.watch(namespace, {
          ...selectors,
          resourceVersion: this.resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: WATCH_TIMEOUT_SECONDS,
          // The sink deep-freezes what it caches: shared objects are fine (no copy per event).
          readOnly: true,
          signal,
        });
        for await (const event of events) {
          received += 1;
          failures = 0;
          if (event.type !== 'BOOKMARK') sink.apply(event);
          const rv = event.object.metadata?.resourceVersion;
          if (rv) this.resourceVersion = rv;
        }
        // An idle watch may end without events (timeoutSeconds): resume at once. A stream that
        // keeps ending without events is a failure in disguise: pace it.
        emptyEnds = received === 0 ? emptyEnds + 1 : 0;
        if (emptyEnds >= 2 && !signal.aborted) await sleep(this.options.timers, this.backoff(emptyEnds - 1), signal);
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof CompactedError) {
          logger.info({ resource: client.type.resource, resourceVersion: this.resourceVersion }, 'watch expired, relisting');
          this.resourceVersion = undefined;
          continue;
        }
        failures += 1;
        const delayMs = this.backoff(failures);
        logger.warn({ resource: client.type.resource, err: error, delayMs }, 'list/watch failed, retrying');
        try {
          await sleep(this.options.timers, delayMs, signal);
        } catch {
          return;
        }
      }
    }
  }

  private backoff(failures: number): number {
    return Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** Math.min(20, failures - 1));
  }
}

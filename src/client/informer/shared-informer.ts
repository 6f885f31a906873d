// One informer: a Reflector keeping an ObjectCache in step with the server, handlers called for
// every change, periodic resync, and a Lister over the cache. Shared by every controller of a
// process through SharedInformerFactory.
import type { KubeObject } from '../../api/object.js';
import type { Logger } from '../../lib/logger.js';
import type { ClientWatchEvent, ResourceClient, ResourceType } from '../resource-client.js';
import type { Timers } from '../timers.js';
import { CacheLister } from './cache-lister.js';
import type { Indexers, Informer, InformerHandlers, InformerOptions, Lister } from './informer.js';
import { ObjectCache } from './object-cache.js';
import { objectKey } from './object-key.js';
import { Reflector } from './reflector.js';

export interface SharedInformerOptions<T extends KubeObject> {
  readonly client: ResourceClient<T>;
  readonly options: InformerOptions;
  readonly timers: Timers;
  readonly logger: Logger;
}

export class SharedInformer<T extends KubeObject> implements Informer<T> {
  readonly type: ResourceType;
  readonly lister: Lister<T>;
  private readonly cache = new ObjectCache<T>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private readonly reflector: Reflector<T>;
  private readonly timers: Timers;
  private readonly logger: Logger;
  private resyncMs: number;
  private synced = false;
  private started = false;
  private readonly syncWaiters: (() => void)[] = [];

  constructor(options: SharedInformerOptions<T>) {
    this.type = options.client.type;
    this.timers = options.timers;
    this.logger = options.logger;
    this.resyncMs = options.options.resyncMs ?? 0;
    this.lister = new CacheLister({ cache: this.cache });
    this.reflector = new Reflector<T>({
      client: options.client,
      ...(options.options.namespace ? { namespace: options.options.namespace } : {}),
      ...(options.options.labelSelector ? { labelSelector: options.options.labelSelector } : {}),
      ...(options.options.fieldSelector ? { fieldSelector: options.options.fieldSelector } : {}),
      sink: { replace: (items) => this.replace(items), apply: (event) => this.apply(event) },
      timers: options.timers,
      logger: options.logger,
    });
  }

  /** Handlers added after the first list get an add for every cached object, as in client-go. */
  addHandlers(handlers: InformerHandlers<T>): void {
    this.handlers.push(handlers);
    if (this.synced && handlers.add) {
      for (const object of this.cache.list()) this.call(() => handlers.add?.(object));
    }
  }

  addIndexers(indexers: Indexers<T>): void {
    this.cache.addIndexers(indexers);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list is in the cache. */
  whenSynced(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** Asks for a resync at least this often (the shortest request wins; 0 is ignored). */
  requestResync(ms: number): void {
    if (ms > 0 && (this.resyncMs === 0 || ms < this.resyncMs)) this.resyncMs = ms;
  }

  /** The resourceVersion the cache reflects. */
  get lastSyncResourceVersion(): string | undefined {
    return this.reflector.lastSyncResourceVersion;
  }

  start(signal: AbortSignal): void {
    if (this.started || signal.aborted) return;
    this.started = true;
    void this.reflector.run(signal);
    this.armResync(signal);
  }

  /** Re-delivers every cached object as update(old === new); runs on the resync period. */
  resync(): void {
    for (const object of this.cache.list()) this.notify('update', object, object);
  }

  private armResync(signal: AbortSignal): void {
    if (signal.aborted) return;
    // Re-read resyncMs each time: a controller made later may ask for a shorter period.
    const period = this.resyncMs;
    const cancel = this.timers.schedule(period > 0 ? period : 1000, () => {
      signal.removeEventListener('abort', cancel);
      if (period > 0 && this.synced) this.resync();
      this.armResync(signal);
    });
    signal.addEventListener('abort', cancel, { once: true });
  }

  private replace(items: T[]): void {
    const delta = this.cache.replace(items);
    for (const object of delta.added) this.notify('add', object);
    for (const { old, current } of delta.updated) this.notify('update', old, current);
    for (const object of delta.deleted) this.notify('delete', object);
    if (!this.synced) {
      this.synced = true;
      for (const resolve of this.syncWaiters.splice(0)) resolve();
    }
  }

  private apply(event: ClientWatchEvent<T>): void {
    if (event.type === 'DELETED') {
      this.cache.remove(objectKey(event.object));
      // Deliver the final state the server sent (it carries the deletion's resourceVersion).
      this.notify('delete', event.object);
      return;
    }
    const old = this.cache.upsert(event.object);
    if (old) this.notify('update', old, event.object);
    else this.notify('add', event.object);
  }

  private notify(kind: 'add' | 'update' | 'delete', object: T, newObject?: T): void {
    for (const handlers of this.handlers) {
      if (kind === 'add') this.call(() => handlers.add?.(object));
      else if (kind === 'delete') this.call(() => handlers.delete?.(object));
      else this.call(() => handlers.update?.(object, newObject ?? object));
    }
  }

  private call(deliver: () => void): void {
    try {
      deliver();
    } catch (error) {
      this.logger.error({ resource: this.type.resource, err: error }, 'informer handler threw');
    }
  }
}

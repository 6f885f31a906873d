// SharedInformerFactory: one informer per (resource, namespace, selectors) for the whole process,
// so N controllers watching pods cost one list+watch. resyncMs is not part of the identity: the
// shortest period any caller asked for wins.
import type { KubeObject } from '../../api/object.js';
import type { Logger } from '../../lib/logger.js';
import { silentLogger } from '../../lib/logger.js';
import type { ClientSet, ResourceType } from '../resource-client.js';
import { realTimers, type Timers } from '../timers.js';
import type { Informer, InformerFactory, InformerOptions } from './informer.js';
import { SharedInformer } from './shared-informer.js';

export interface SharedInformerFactoryOptions {
  readonly clients: ClientSet;
  readonly logger?: Logger;
  /** For retry backoff and resync; tests pass FakeTimers. */
  readonly timers?: Timers;
}

function informerKey(type: ResourceType, options: InformerOptions): string {
  return JSON.stringify([type.group, type.version, type.resource, options.namespace ?? '', options.labelSelector ?? '', options.fieldSelector ?? '']);
}

export class SharedInformerFactory implements InformerFactory {
  private readonly clients: ClientSet;
  private readonly logger: Logger;
  private readonly timers: Timers;
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();
  private signal: AbortSignal | undefined;

  constructor(options: SharedInformerFactoryOptions) {
    this.clients = options.clients;
    this.logger = options.logger ?? silentLogger();
    this.timers = options.timers ?? realTimers;
  }

  informerFor<T extends KubeObject>(type: ResourceType, options: InformerOptions = {}): Informer<T> {
    return this.sharedInformerFor<T>(type, options);
  }

  /** Like informerFor, with the concrete class (resync(), whenSynced(), lastSyncResourceVersion). */
  sharedInformerFor<T extends KubeObject>(type: ResourceType, options: InformerOptions = {}): SharedInformer<T> {
    const key = informerKey(type, options);
    let informer = this.informers.get(key);
    if (!informer) {
      informer = new SharedInformer<KubeObject>({
        client: this.clients.resource(type),
        options,
        timers: this.timers,
        logger: this.logger.child({ informer: type.group ? `${type.resource}.${type.group}` : type.resource }),
      });
      this.informers.set(key, informer);
      if (this.signal) informer.start(this.signal);
    } else if (options.resyncMs) {
      informer.requestResync(options.resyncMs);
    }
    return informer as unknown as SharedInformer<T>;
  }

  start(signal: AbortSignal): void {
    this.signal ??= signal;
    for (const informer of this.informers.values()) informer.start(signal);
  }

  async waitForSync(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const pending = [...this.informers.values()].map((informer) => informer.whenSynced());
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([Promise.all(pending), aborted]);
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }
}

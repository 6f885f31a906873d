// ApiEventRecorder: writes core/v1 Events the way client-go's recorder does, so `kubectl describe`
// and `kubectl get events` show them as users expect:
// - name `<object name>.<hex nanoseconds>`, in the object's namespace (`default` for cluster-scoped
//   objects), involvedObject {apiVersion, kind, name, namespace, uid, resourceVersion},
//   source.component/host, reportingComponent/reportingInstance, firstTimestamp = lastTimestamp,
//   count 1;
// - a repeat of the same (object, type, reason, message) within 10 minutes of the last one
//   patches count+1 and lastTimestamp instead of creating a new Event (a failed patch, e.g. the
//   Event was garbage-collected, falls back to a create);
// - event() never blocks or throws: writes go through a bounded queue drained in the background,
//   and when it is full new events are dropped (and logged), as upstream's broadcaster does.
import type { KubeObject } from '../../api/object.js';
import type { Clock } from '../../lib/clock.js';
import { systemClock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { silentLogger } from '../../lib/logger.js';
import type { ResourceClient } from '../resource-client.js';
import type { EventRecorder, EventType } from './event-recorder.js';

export interface ApiEventRecorderOptions {
  readonly events: ResourceClient;
  /** source.component and reportingComponent: `deployment-controller`, `default-scheduler`, `kubelet`. */
  readonly component: string;
  /** source.host and reportingInstance (agents set their node name). */
  readonly host?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Events waiting to be written before new ones are dropped (default 1000). */
  readonly maxQueue?: number;
  /** Repeats closer than this to the previous one are counted, not created (default 10 min). */
  readonly dedupWindowMs?: number;
}

interface Pending {
  readonly object: KubeObject;
  readonly type: EventType;
  readonly reason: string;
  readonly message: string;
  readonly at: Date;
}

interface Seen {
  readonly namespace: string;
  readonly name: string;
  readonly count: number;
  readonly lastAt: number;
}

/** Distinct (object, type, reason, message) keys remembered for counting repeats. */
const MAX_REMEMBERED = 4096;

function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class ApiEventRecorder implements EventRecorder {
  private readonly events: ResourceClient;
  private readonly component: string;
  private readonly host: string | undefined;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly maxQueue: number;
  private readonly dedupWindowMs: number;
  private readonly queue: Pending[] = [];
  private readonly seen = new Map<string, Seen>();
  private draining: Promise<void> | undefined;
  private sequence = 0;

  constructor(options: ApiEventRecorderOptions) {
    this.events = options.events;
    this.component = options.component;
    this.host = options.host;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger();
    this.maxQueue = options.maxQueue ?? 1000;
    this.dedupWindowMs = options.dedupWindowMs ?? 10 * 60 * 1000;
  }

  event(object: KubeObject, type: EventType, reason: string, message: string): void {
    if (this.queue.length >= this.maxQueue) {
      this.logger.warn({ reason, object: object.metadata?.name }, 'event queue full, dropping event');
      return;
    }
    // Snapshot what we need now: the caller may go on to change the object.
    const meta = object.metadata ?? {};
    const snapshot: KubeObject = {
      ...(object.apiVersion !== undefined ? { apiVersion: object.apiVersion } : {}),
      ...(object.kind !== undefined ? { kind: object.kind } : {}),
      metadata: {
        ...(meta.name !== undefined ? { name: meta.name } : {}),
        ...(meta.namespace !== undefined ? { namespace: meta.namespace } : {}),
        ...(meta.uid !== undefined ? { uid: meta.uid } : {}),
        ...(meta.resourceVersion !== undefined ? { resourceVersion: meta.resourceVersion } : {}),
      },
    };
    this.queue.push({ object: snapshot, type, reason, message, at: this.clock.now() });
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  /** Resolves once every queued event has been written (or has failed); for tests and shutdown. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      try {
        await this.write(next);
      } catch (error) {
        this.logger.warn({ reason: next.reason, object: next.object.metadata?.name, err: error }, 'failed to write event');
      }
    }
  }

  private async write(item: Pending): Promise<void> {
    const meta = item.object.metadata ?? {};
    const key = JSON.stringify([item.object.kind, meta.namespace, meta.name, meta.uid, item.type, item.reason, item.message]);
    const previous = this.seen.get(key);
    const at = item.at.getTime();
    if (previous && at - previous.lastAt <= this.dedupWindowMs) {
      const count = previous.count + 1;
      try {
        await this.events.patch(previous.namespace, previous.name, 'merge', { count, lastTimestamp: timestamp(item.at) }, { readOnly: true });
        this.remember(key, { ...previous, count, lastAt: at });
        return;
      } catch (error) {
        this.logger.debug({ err: error, event: previous.name }, 'event patch failed, creating a new event');
      }
    }
    const namespace = meta.namespace || 'default';
    const name = `${meta.name ?? 'unknown'}.${this.uniqueHex(at)}`;
    // The answer is not looked at: readOnly spares the in-process client its copy of it.
    await this.events.create(namespace, this.newEvent(item, namespace, name), { readOnly: true });
    this.remember(key, { namespace, name, count: 1, lastAt: at });
  }

  private newEvent(item: Pending, namespace: string, name: string): KubeObject {
    const meta = item.object.metadata ?? {};
    const involvedObject: Record<string, string> = {};
    if (item.object.kind) involvedObject['kind'] = item.object.kind;
    if (meta.namespace) involvedObject['namespace'] = meta.namespace;
    if (meta.name) involvedObject['name'] = meta.name;
    if (meta.uid) involvedObject['uid'] = meta.uid;
    if (item.object.apiVersion) involvedObject['apiVersion'] = item.object.apiVersion;
    if (meta.resourceVersion) involvedObject['resourceVersion'] = meta.resourceVersion;
    const when = timestamp(item.at);
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject,
      reason: item.reason,
      message: item.message,
      source: { component: this.component, ...(this.host ? { host: this.host } : {}) },
      firstTimestamp: when,
      lastTimestamp: when,
      count: 1,
      type: item.type,
      eventTime: null,
      reportingComponent: this.component,
      reportingInstance: this.host ?? '',
    };
  }

  /** Upstream names events `<name>.<UnixNano in hex>`; a sequence keeps same-millisecond names apart. */
  private uniqueHex(ms: number): string {
    this.sequence = (this.sequence + 1) % 1_000_000;
    return (BigInt(ms) * 1_000_000n + BigInt(this.sequence)).toString(16);
  }

  private remember(key: string, seen: Seen): void {
    this.seen.delete(key);
    this.seen.set(key, seen);
    if (this.seen.size > MAX_REMEMBERED) {
      const oldest = this.seen.keys().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
  }
}

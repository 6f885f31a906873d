// The `endpoints.kubernetes.io/last-change-trigger-time` value (upstream: TriggerTimeTracker).
// It tells consumers (kube-proxy's latency metric) when the change that caused a write happened.
//
// Per service it remembers, from the previous sync, each pod's trigger time (its Ready
// condition's lastTransitionTime) and the service's (its creationTimestamp). A sync returns the
// earliest trigger time that moved since then, or none (the annotation is then removed).
// The first sync of a service returns the service's creationTimestamp.
//
// A sync's state is recorded only when the caller commits it, after its write succeeded (or when
// nothing needed writing). A failed write (a Conflict on a stale cache) is retried; had its state
// been recorded, the retry would see nothing new and write the same change without the annotation.
//
// Worked example: service created 10:00:00, pods a and b Ready since 10:00:05 and 10:00:07.
// First sync -> 10:00:00. Pod b turns unready at 10:01:00 -> next sync -> 10:01:00. A sync with
// nothing new -> none.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { podCondition } from '../framework/pod-utils.js';
import type { ServiceObject } from './endpoint-object-types.js';

interface ServiceState {
  readonly podTimes: ReadonlyMap<string, number>;
  readonly serviceTime: number | undefined;
}

function parseTime(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function earlier(a: number | undefined, b: number): number {
  return a === undefined || b < a ? b : a;
}

/** One sync's answer. */
export interface TriggerTimeChange {
  /** The trigger time to publish, or undefined for none. */
  readonly time: Date | undefined;
  /** Records this sync's state, once what `time` describes is written or needed no write. */
  commit(): void;
}

export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  /**
   * The trigger time to publish for `service` now, with the state to record once the write is
   * done. Must not be called concurrently for one service (the work queue guarantees it).
   */
  compute(service: ServiceObject, pods: readonly Pod[]): TriggerTimeChange {
    const key = `${service.metadata?.namespace ?? ''}/${service.metadata?.name ?? ''}`;
    const previous = this.states.get(key);
    let changed: number | undefined;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const time = parseTime(podCondition(pod, 'Ready')?.lastTransitionTime);
      if (time === undefined) continue;
      const name = pod.metadata?.name ?? '';
      podTimes.set(name, time);
      const before = previous?.podTimes.get(name);
      if (before === undefined || time > before) changed = earlier(changed, time);
    }
    const serviceTime = parseTime(service.metadata?.creationTimestamp);
    if (serviceTime !== undefined && (previous?.serviceTime === undefined || serviceTime > previous.serviceTime)) {
      changed = earlier(changed, serviceTime);
    }
    const commit = () => void this.states.set(key, { podTimes, serviceTime });
    if (previous === undefined) return { time: serviceTime === undefined ? undefined : new Date(serviceTime), commit };
    return { time: changed === undefined ? undefined : new Date(changed), commit };
  }

  /** Forgets a deleted service. */
  deleteService(namespace: string, name: string): void {
    this.states.delete(`${namespace}/${name}`);
  }
}

/**
 * Go's time.RFC3339Nano in UTC: fractional seconds only when non-zero, trailing zeros trimmed
 * (`2025-01-01T00:00:00Z`, `2025-01-01T00:00:00.5Z`), which is what upstream writes.
 */
export function formatRfc3339Nano(time: Date): string {
  return time.toISOString().replace(/\.(\d*?)0*Z$/, (_, digits: string) => (digits === '' ? 'Z' : `.${digits}Z`));
}

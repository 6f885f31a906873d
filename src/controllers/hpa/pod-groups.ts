// Which pods a replica calculation may trust (upstream's groupPods). Pods being deleted or failed
// are ignored outright; pending pods are "unready"; pods without a sample are "missing". For cpu,
// a pod is also unready while its usage still reflects start-up: upstream's rule, restated:
//   - within the cpu initialization period after start (5 min): unready if not Ready, or if the
//     sample's window began before the pod last became Ready (start-up burn is in the sample);
//   - after it: unready only if not Ready and it never was Ready since start (its Ready condition
//     last changed within the initial readiness delay, 30 s, of the start).
// Example: started 10:00, Ready since 10:00:40, sample 10:01:00 with a 30 s window: 10:01:00 is
// before 10:00:40 + 30 s = 10:01:10, so the sample still covers start-up: unready.
import type { PodObject } from '../framework/kube-object-types.js';
import { podCondition } from '../framework/pod-utils.js';
import type { PodMetrics } from './resource-usage.js';

export interface PodGroups {
  readonly readyPodCount: number;
  readonly unready: ReadonlySet<string>;
  readonly missing: ReadonlySet<string>;
  readonly ignored: ReadonlySet<string>;
}

export interface ReadinessTiming {
  readonly nowMs: number;
  readonly cpuInitializationPeriodMs: number;
  readonly delayOfInitialReadinessStatusMs: number;
}

function timeMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function cpuSampleUnready(pod: PodObject, sample: { timestampMs: number; windowMs: number }, timing: ReadinessTiming): boolean {
  const ready = podCondition(pod, 'Ready');
  const startMs = timeMs(pod.status?.startTime);
  const transitionMs = timeMs(ready?.lastTransitionTime) ?? 0;
  if (ready === undefined || startMs === undefined) return true;
  if (startMs + timing.cpuInitializationPeriodMs > timing.nowMs) {
    return ready.status === 'False' || sample.timestampMs < transitionMs + sample.windowMs;
  }
  return ready.status === 'False' && startMs + timing.delayOfInitialReadinessStatusMs > transitionMs;
}

export function groupPods(pods: readonly PodObject[], metrics: PodMetrics, resource: string, timing: ReadinessTiming): PodGroups {
  let readyPodCount = 0;
  const unready = new Set<string>();
  const missing = new Set<string>();
  const ignored = new Set<string>();
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '';
    if (pod.metadata?.deletionTimestamp !== undefined || pod.status?.phase === 'Failed') {
      ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      unready.add(name);
      continue;
    }
    const sample = metrics.get(name);
    if (sample === undefined) {
      missing.add(name);
      continue;
    }
    if (resource === 'cpu' && cpuSampleUnready(pod, sample, timing)) {
      unready.add(name);
      continue;
    }
    readyPodCount++;
  }
  return { readyPodCount, unready, missing, ignored };
}

// Per-pod numbers the replica calculator works on, as upstream's resource metrics client and
// calculatePodRequests produce them: usage and requests of one resource in milli-units, summed
// over a pod's containers (or one named container, for ContainerResource metrics).
import type { Container } from 'kubernetes-types/core/v1.js';
import type { PodObject } from '../framework/kube-object-types.js';
import { MetricComputationError } from './hpa-types.js';
import { milliValue } from './milli-quantity.js';
import type { PodUsage } from './pod-metrics-source.js';

export interface PodMetric {
  readonly valueMilli: number;
  readonly timestampMs: number;
  readonly windowMs: number;
}

/** Pod name -> its metric; the calculator adds and removes entries as upstream does. */
export type PodMetrics = Map<string, PodMetric>;

function containerUsageMilli(usage: PodUsage, container: string, resource: string): number | undefined {
  const found = usage.containers.get(container);
  if (found === undefined) return undefined;
  if (resource === 'cpu') return found.cpuMilli;
  if (resource === 'memory') return found.memoryBytes * 1000;
  return undefined;
}

/**
 * Usage of `resource` per pod. Without `container`, a pod is left out (so counted as missing)
 * when any of its containers lacks the resource or it has no containers. With `container`, a pod
 * whose metrics lack that container fails the whole metric, as upstream's getContainerMetrics.
 */
export function podResourceMetrics(usage: ReadonlyMap<string, PodUsage>, namespace: string, resource: string, container?: string): PodMetrics {
  const metrics: PodMetrics = new Map();
  for (const [podName, pod] of usage) {
    const sample = { timestampMs: pod.timestampMs, windowMs: pod.windowMs };
    if (container !== undefined) {
      if (!pod.containers.has(container)) throw new MetricComputationError(`failed to get container metrics: container ${container} not present in metrics for pod ${namespace}/${podName}`);
      const value = containerUsageMilli(pod, container, resource);
      if (value !== undefined) metrics.set(podName, { ...sample, valueMilli: value });
      continue;
    }
    let sum = 0;
    let missing = pod.containers.size === 0;
    for (const name of pod.containers.keys()) {
      const value = containerUsageMilli(pod, name, resource);
      if (value === undefined) {
        missing = true;
        break;
      }
      sum += value;
    }
    if (!missing) metrics.set(podName, { ...sample, valueMilli: sum });
  }
  return metrics;
}

/** Regular containers and sidecars (restartable init containers): the ones that run beside the app. */
function runningContainers(pod: PodObject): Container[] {
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  return [...(pod.spec?.containers ?? []), ...sidecars];
}

/**
 * Requests of `resource` per pod, in milli-units. A container without a request makes
 * utilization meaningless, so it fails the metric with upstream's message.
 */
export function podRequestsMilli(pods: readonly PodObject[], resource: string, container?: string): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    const podName = pod.metadata?.name ?? '';
    let sum = 0;
    for (const c of runningContainers(pod)) {
      if (container !== undefined && container !== c.name) continue;
      const request = milliValue(c.resources?.requests?.[resource]);
      if (request === undefined) throw new MetricComputationError(`missing request for ${resource} in container ${c.name} of Pod ${podName}`);
      sum += request;
    }
    requests.set(podName, sum);
  }
  return requests;
}

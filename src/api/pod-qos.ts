// A pod's quality-of-service class (upstream: pkg/apis/core/helper/qos ComputePodQOS). The registry
// stores it in status.qosClass on create; the node agent uses it for OOM scores and eviction order.
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import { tryParseQuantity } from './quantity.js';
import { isRecord, recordsOf } from './validation/json-access.js';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** Only cpu and memory decide the class. */
const QOS_RESOURCES = ['cpu', 'memory'] as const;

function positive(list: unknown, name: string): number | undefined {
  if (!isRecord(list)) return undefined;
  const value = tryParseQuantity(list[name]);
  return value !== undefined && value > 0 ? value : undefined;
}

function add(totals: Map<string, number>, name: string, value: number): void {
  totals.set(name, (totals.get(name) ?? 0) + value);
}

/**
 * Guaranteed: every container limits cpu and memory and requests equal limits; BestEffort: no
 * container requests or limits cpu or memory; otherwise Burstable. Init containers count,
 * ephemeral containers do not. A missing request counts as equal to its limit, as upstream's Pod
 * defaulting makes it so (this may run before defaults).
 */
export function computeQosClass(spec: PodSpec | Record<string, unknown> | undefined): QosClass {
  const s: Record<string, unknown> = isRecord(spec) ? spec : {};
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const container of [...recordsOf(s.containers), ...recordsOf(s.initContainers)]) {
    const resources = isRecord(container.resources) ? container.resources : {};
    let limited = 0;
    for (const name of QOS_RESOURCES) {
      const limit = positive(resources.limits, name);
      const hasRequest = isRecord(resources.requests) && Object.hasOwn(resources.requests, name);
      const request = hasRequest ? positive(resources.requests, name) : limit;
      if (request !== undefined) add(requests, name, request);
      if (limit !== undefined) {
        add(limits, name, limit);
        limited++;
      }
    }
    if (limited < QOS_RESOURCES.length) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, request] of requests) {
      const limit = limits.get(name);
      if (limit === undefined || Math.abs(limit - request) > 1e-9 * Math.max(1, Math.abs(limit))) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

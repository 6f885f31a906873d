// The disruption controller's arithmetic (upstream: DisruptionController.getExpectedPodCount,
// countHealthyPods, updatePdbStatus), as pure functions.
//
// Worked example: a Deployment of 3 replicas, PDB minAvailable 2. expectedPods = 3 pods matched,
// desiredHealthy = 2; with 3 Ready pods currentHealthy = 3, so disruptionsAllowed = 3 - 2 = 1.
// An eviction takes that 1 (pods/eviction writes disruptionsAllowed 0 and puts the pod in
// disruptedPods): the evicted pod no longer counts as healthy even before its deletion shows,
// so currentHealthy = 2 and the next eviction is refused until the replacement is Ready (3 again).
// With maxUnavailable 1 instead: expectedPods = the Deployment's spec.replicas = 3 (not the pods
// that exist: a missing pod is already a disruption), desiredHealthy = 3 - 1 = 2, same answer.
// Percentages scale the controllers' replicas and round up: minAvailable 50% of 3 = 2,
// maxUnavailable 50% of 3 = 2 so desiredHealthy = 1.
import type { PodDisruptionBudgetSpec } from 'kubernetes-types/policy/v1.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { isPodReady } from '../framework/pod-utils.js';

/** How long an eviction the controller has not seen go through keeps its pod out of the count. */
export const DISRUPTION_DELETION_TIMEOUT_MS = 2 * 60 * 1000;

/** An int-or-percent against `total` (upstream GetScaledValueFromIntOrPercent); undefined when invalid. */
export function scaledValue(value: number | string, total: number, roundUp: boolean): number | undefined {
  if (typeof value === 'number') return value;
  const match = /^(\d+)%$/.exec(value);
  if (!match) return undefined;
  const exact = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export interface ExpectedCount {
  readonly expectedCount: number;
  readonly desiredHealthy: number;
}

/**
 * expectedCount and desiredHealthy for the spec. `expectedScale` (the sum of the pods'
 * controllers' replicas) is asked for only when the spec needs it; it throws when a pod has no
 * supported controller.
 */
export function expectedPodCount(spec: PodDisruptionBudgetSpec | undefined, podCount: number, expectedScale: () => number): ExpectedCount {
  const maxUnavailable = spec?.maxUnavailable;
  if (maxUnavailable !== undefined) {
    const expectedCount = expectedScale();
    const unavailable = scaledValue(maxUnavailable, expectedCount, true);
    if (unavailable === undefined) throw new Error(`invalid maxUnavailable ${String(maxUnavailable)}`);
    return { expectedCount, desiredHealthy: Math.max(0, expectedCount - unavailable) };
  }
  const minAvailable = spec?.minAvailable;
  if (minAvailable === undefined) return { expectedCount: podCount, desiredHealthy: 0 };
  if (typeof minAvailable === 'number') return { expectedCount: podCount, desiredHealthy: minAvailable };
  const expectedCount = expectedScale();
  const desiredHealthy = scaledValue(minAvailable, expectedCount, true);
  if (desiredHealthy === undefined) throw new Error(`invalid minAvailable ${minAvailable}`);
  return { expectedCount, desiredHealthy };
}

export interface DisruptedPods {
  /** The entries still in force (pod name -> eviction time, RFC 3339). */
  readonly kept: Record<string, string>;
  /** When the oldest kept entry expires (epoch ms), if any: reconcile again then. */
  readonly recheckAtMs: number | undefined;
}

/**
 * Keeps a disruptedPods entry while its pod exists, is not yet being deleted, and the eviction is
 * less than DISRUPTION_DELETION_TIMEOUT_MS old (upstream buildDisruptedPodMap).
 */
export function liveDisruptedPods(recorded: Readonly<Record<string, string>> | undefined, pods: readonly Pod[], nowMs: number): DisruptedPods {
  const byName = new Map(pods.map((pod) => [pod.metadata?.name ?? '', pod]));
  const kept: Record<string, string> = {};
  let recheckAtMs: number | undefined;
  for (const [name, at] of Object.entries(recorded ?? {})) {
    const pod = byName.get(name);
    if (pod === undefined || pod.metadata?.deletionTimestamp !== undefined) continue;
    const expires = Date.parse(at) + DISRUPTION_DELETION_TIMEOUT_MS;
    if (Number.isNaN(expires) || expires <= nowMs) continue;
    kept[name] = at;
    recheckAtMs = recheckAtMs === undefined ? expires : Math.min(recheckAtMs, expires);
  }
  return { kept, recheckAtMs };
}

/** Ready pods that are neither being deleted nor recently evicted. */
export function countHealthyPods(pods: readonly Pod[], disrupted: Readonly<Record<string, string>>): number {
  return pods.filter((pod) =>
    pod.metadata?.deletionTimestamp === undefined && !Object.hasOwn(disrupted, pod.metadata?.name ?? '') && isPodReady(pod)).length;
}

/**
 * currentHealthy - desiredHealthy, never below 0; 0 while no pod is expected, so a budget whose
 * first pods appear before the controller has counted them is safe.
 */
export function disruptionsAllowed(currentHealthy: number, desiredHealthy: number, expectedCount: number): number {
  if (expectedCount <= 0) return 0;
  return Math.max(0, currentHealthy - desiredHealthy);
}

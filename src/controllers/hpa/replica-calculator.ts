// Upstream's ReplicaCalculator for resource metrics: desired replicas from pods' usage against a
// target, either utilization (percent of request) or an average value per pod.
//
// The core rule is desired = ceil(current metric / target * pods counted). Worked example: 4
// ready pods requesting 500m each use 400m, 450m, 500m, 650m against a 50% target:
// utilization = 2000m * 100 / 2000m = 100%, ratio = 100 / 50 = 2.0, |1 - 2.0| > 0.1 tolerance,
// desired = ceil(2.0 * 4) = 8.
//
// Pods that cannot be trusted are settled so they never push the decision further than the
// trusted pods do: on a scale-up, unready and missing pods count as using nothing; on a
// scale-down, missing pods count as using their full request (or the target, if above 100%).
// If that flips the direction or lands within tolerance, the count stays as it is.
import type { PodObject } from '../framework/kube-object-types.js';
import { MetricComputationError } from './hpa-types.js';
import { groupPods, type PodGroups, type ReadinessTiming } from './pod-groups.js';
import type { PodMetric, PodMetrics } from './resource-usage.js';
import { podRequestsMilli } from './resource-usage.js';

export interface CalculatorSettings extends Omit<ReadinessTiming, 'nowMs'> {
  /** Ratios within 1 ± tolerance leave the count alone (upstream's 0.1). */
  readonly tolerance: number;
}

export interface CalculationInput {
  readonly currentReplicas: number;
  readonly resource: string;
  readonly container?: string;
  readonly pods: readonly PodObject[];
  /** Fresh per call: the calculator fills in settled values for untrusted pods. */
  readonly metrics: PodMetrics;
  readonly nowMs: number;
}

export interface UtilizationResult {
  readonly replicas: number;
  /** Percent of request, over the pods with a usable sample. */
  readonly utilization: number;
  /** Average usage per pod with a usable sample, milli-units. */
  readonly rawAverageMilli: number;
}

export interface AverageValueResult {
  readonly replicas: number;
  readonly averageMilli: number;
}

interface UtilizationRatio {
  readonly ratio: number;
  readonly utilization: number;
  readonly rawAverageMilli: number;
}

/** Upstream's GetResourceUtilizationRatio: integer percent, as Go's int division truncates it. */
function utilizationRatio(metrics: PodMetrics, requests: ReadonlyMap<string, number>, target: number): UtilizationRatio {
  let usage = 0;
  let requested = 0;
  let counted = 0;
  for (const [pod, metric] of metrics) {
    const request = requests.get(pod);
    if (request === undefined) continue; // a sample of a pod we do not know
    usage += metric.valueMilli;
    requested += request;
    counted++;
  }
  if (requested === 0) throw new MetricComputationError('no metrics returned matched known pods');
  const utilization = Math.trunc((usage * 100) / requested);
  return { ratio: utilization / target, utilization, rawAverageMilli: Math.trunc(usage / counted) };
}

function usageRatio(metrics: PodMetrics, targetMilli: number): { ratio: number; averageMilli: number } {
  let usage = 0;
  for (const metric of metrics.values()) usage += metric.valueMilli;
  const averageMilli = Math.trunc(usage / metrics.size);
  return { ratio: averageMilli / targetMilli, averageMilli };
}

function trustedGroups(input: CalculationInput, settings: CalculatorSettings): PodGroups {
  if (input.pods.length === 0) throw new MetricComputationError('no pods returned by selector while calculating replica count');
  const groups = groupPods(input.pods, input.metrics, input.resource, { ...settings, nowMs: input.nowMs });
  for (const name of [...groups.ignored, ...groups.unready]) input.metrics.delete(name);
  return groups;
}

/**
 * The decision shared by both kinds of target once the first ratio is known: `settle` fills in
 * untrusted pods (value for a missing pod on scale-down) and `ratioOf` recomputes.
 */
function decide(
  input: CalculationInput, settings: CalculatorSettings, groups: PodGroups, ratio: number,
  missingOnScaleDown: (pod: string) => number, ratioOf: () => number, missingZeroAtExactTarget: boolean,
): number {
  const scaleUpWithUnready = groups.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (Math.abs(1 - ratio) <= settings.tolerance) return input.currentReplicas;
    return Math.ceil(ratio * groups.readyPodCount);
  }
  const settled = (value: number): PodMetric => ({ valueMilli: value, timestampMs: 0, windowMs: 0 });
  for (const pod of groups.missing) {
    if (ratio < 1) input.metrics.set(pod, settled(missingOnScaleDown(pod)));
    else if (ratio > 1 || missingZeroAtExactTarget) input.metrics.set(pod, settled(0));
  }
  if (scaleUpWithUnready) for (const pod of groups.unready) input.metrics.set(pod, settled(0));

  const newRatio = ratioOf();
  const flipped = (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1);
  if (Math.abs(1 - newRatio) <= settings.tolerance || flipped) return input.currentReplicas;
  const replicas = Math.ceil(newRatio * input.metrics.size);
  // Counting more pods may still point the other way than the ratio: then do nothing.
  if ((newRatio < 1 && replicas > input.currentReplicas) || (newRatio > 1 && replicas < input.currentReplicas)) return input.currentReplicas;
  return replicas;
}

/** Upstream's GetResourceReplicas (target: averageUtilization, percent of request). */
export function utilizationReplicas(input: CalculationInput, targetUtilization: number, settings: CalculatorSettings): UtilizationResult {
  const groups = trustedGroups(input, settings);
  const requests = podRequestsMilli(input.pods, input.resource, input.container);
  if (input.metrics.size === 0) throw new MetricComputationError('did not receive metrics for targeted pods (pods might be unready)');
  const first = utilizationRatio(input.metrics, requests, targetUtilization);
  // A pod missing a sample on scale-down is taken as using all it asked for, or the target if
  // that is higher (a 150% target would otherwise read the missing pod as below target).
  const fallbackPercent = Math.max(100, targetUtilization);
  const replicas = decide(
    input, settings, groups, first.ratio,
    (pod) => Math.trunc(((requests.get(pod) ?? 0) * fallbackPercent) / 100),
    () => utilizationRatio(input.metrics, requests, targetUtilization).ratio,
    false,
  );
  return { replicas, utilization: first.utilization, rawAverageMilli: first.rawAverageMilli };
}

/** Upstream's GetRawResourceReplicas (target: averageValue per pod, milli-units). */
export function averageValueReplicas(input: CalculationInput, targetMilli: number, settings: CalculatorSettings): AverageValueResult {
  const groups = trustedGroups(input, settings);
  if (input.metrics.size === 0) throw new MetricComputationError('did not receive metrics for targeted pods (pods might be unready)');
  const first = usageRatio(input.metrics, targetMilli);
  const replicas = decide(
    input, settings, groups, first.ratio,
    () => targetMilli,
    () => usageRatio(input.metrics, targetMilli).ratio,
    true,
  );
  return { replicas, averageMilli: first.averageMilli };
}

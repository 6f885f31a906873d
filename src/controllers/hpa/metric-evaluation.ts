// Upstream's computeReplicasForMetrics: a replica proposal per metric of spec.metrics, the
// largest proposal wins, and ScalingActive says whether any metric could be computed.
// Resource and ContainerResource metrics are computed from pod usage; the others need metrics
// APIs k8ts does not serve (unavailable-metric-apis.ts).
import type { MetricSpec, MetricStatus, MetricTarget, MetricValueStatus } from 'kubernetes-types/autoscaling/v2.js';
import { parseLabelSelector, type LabelSelectorRequirementSet } from '../../api/selectors/label-selector.js';
import type { Lister } from '../../client/informer/informer.js';
import type { PodObject } from '../framework/kube-object-types.js';
import type { HpaCondition } from './hpa-conditions.js';
import { MetricComputationError } from './hpa-types.js';
import { formatMilliQuantity, milliValue } from './milli-quantity.js';
import type { PodMetricsSource, PodUsage } from './pod-metrics-source.js';
import { averageValueReplicas, utilizationReplicas, type CalculatorSettings } from './replica-calculator.js';
import { podResourceMetrics, type PodMetrics } from './resource-usage.js';
import { unavailableMetric } from './unavailable-metric-apis.js';

export interface MetricEvaluationInput {
  readonly namespace: string;
  readonly metrics: readonly MetricSpec[];
  /** The Scale's spec.replicas and status.selector. */
  readonly specReplicas: number;
  readonly selector: string;
  readonly pods: Lister<PodObject>;
  readonly source: PodMetricsSource;
  readonly settings: CalculatorSettings;
  readonly nowMs: number;
  readonly signal: AbortSignal;
  /** Emits a Warning event on the HPA. */
  readonly warn: (reason: string, message: string) => void;
}

export interface MetricEvaluation {
  /** -1: nothing usable, leave the target alone. */
  readonly replicas: number;
  /** What the winning proposal measured, for the rescale reason. */
  readonly metricName: string;
  /** One per spec.metrics entry; a failed metric leaves an empty status, as upstream. */
  readonly statuses: MetricStatus[];
  readonly scalingActive?: HpaCondition;
  /** Set when some metric failed (all of them if replicas is -1). */
  readonly error?: string;
}

interface Proposal {
  readonly replicas: number;
  readonly metricName: string;
  readonly status: MetricStatus;
}

class FailedMetric extends Error {
  readonly reason: string;
  /** The error as the condition and event state it (the outer `error` wraps it once more). */
  readonly inner: string;
  constructor(reason: string, inner: string, outer: string) {
    super(outer);
    this.reason = reason;
    this.inner = inner;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const unableCondition = (reason: string, message: string): HpaCondition => ({
  type: 'ScalingActive', status: 'False', reason, message: `the HPA was unable to compute the replica count: ${message}`,
});

export async function evaluateMetrics(input: MetricEvaluationInput): Promise<MetricEvaluation> {
  let selector: LabelSelectorRequirementSet;
  if (input.selector === '') {
    input.warn('SelectorRequired', 'selector is required');
    return invalidSelector('the HPA target\'s scale is missing a selector', 'selector is required');
  }
  try {
    selector = parseLabelSelector(input.selector);
  } catch (error) {
    const message = `couldn't convert selector into a corresponding internal selector object: ${errorText(error)}`;
    input.warn('InvalidSelector', message);
    return invalidSelector(message, message);
  }

  // One usage read serves every resource metric of this pass.
  let usage: Promise<ReadonlyMap<string, PodUsage>> | undefined;
  const readUsage = (): Promise<ReadonlyMap<string, PodUsage>> => (usage ??= input.source.podMetrics(input.namespace, selector, input.signal));
  const pods = input.pods.list({ namespace: input.namespace, labelSelector: input.selector });

  const statuses: MetricStatus[] = [];
  let best: Proposal | undefined;
  let firstFailure: FailedMetric | undefined;
  let failures = 0;
  for (const spec of input.metrics) {
    try {
      const proposal = await proposalFor(spec, input, pods, readUsage);
      statuses.push(proposal.status);
      if (best === undefined || proposal.replicas > best.replicas) best = proposal;
    } catch (error) {
      if (!(error instanceof FailedMetric)) throw error;
      input.warn(error.reason, error.inner);
      statuses.push({ type: '' });
      firstFailure ??= error;
      failures++;
    }
  }
  const error = firstFailure && `invalid metrics (${failures} invalid out of ${input.metrics.length}), first error is: ${firstFailure.message}`;
  // A partial failure may still scale up (the failed metric could only want more), never down.
  if (best === undefined || (firstFailure !== undefined && best.replicas < input.specReplicas)) {
    return {
      replicas: -1, metricName: '', statuses,
      ...(firstFailure ? { scalingActive: unableCondition(firstFailure.reason, firstFailure.inner) } : {}),
      ...(error ? { error } : {}),
    };
  }
  return {
    replicas: best.replicas, metricName: best.metricName, statuses,
    scalingActive: { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${best.metricName}` },
    ...(error ? { error } : {}),
  };
}

function invalidSelector(message: string, error: string): MetricEvaluation {
  return { replicas: -1, metricName: '', statuses: [], scalingActive: { type: 'ScalingActive', status: 'False', reason: 'InvalidSelector', message }, error };
}

async function proposalFor(
  spec: MetricSpec, input: MetricEvaluationInput, pods: readonly PodObject[], readUsage: () => Promise<ReadonlyMap<string, PodUsage>>,
): Promise<Proposal> {
  if (spec.type === 'Resource' && spec.resource) {
    const { name, target } = spec.resource;
    try {
      const { current, metricName, replicas } = await resourceProposal(input, pods, readUsage, name, undefined, target);
      return { replicas, metricName, status: { type: 'Resource', resource: { name, current } } };
    } catch (error) {
      const inner = errorText(error);
      throw new FailedMetric('FailedGetResourceMetric', inner, `failed to get ${name} resource metric value: ${inner}`);
    }
  }
  if (spec.type === 'ContainerResource' && spec.containerResource) {
    const { name, container, target } = spec.containerResource;
    try {
      const { current, metricName, replicas } = await resourceProposal(input, pods, readUsage, name, container, target);
      return { replicas, metricName, status: { type: 'ContainerResource', containerResource: { name, container, current } } };
    } catch (error) {
      const inner = errorText(error);
      throw new FailedMetric('FailedGetContainerResourceMetric', inner, `failed to get ${container} container metric value: ${inner}`);
    }
  }
  const unavailable = unavailableMetric(spec, input.namespace);
  const outer = {
    Pods: `failed to get pods metric value: ${unavailable.message}`,
    Object: `failed to get object metric value: ${unavailable.message}`,
    External: `failed to get ${spec.external?.metric.name ?? ''} external metric value: ${unavailable.message}`,
  }[spec.type] ?? unavailable.message;
  throw new FailedMetric(unavailable.reason, unavailable.message, outer);
}

async function resourceProposal(
  input: MetricEvaluationInput, pods: readonly PodObject[], readUsage: () => Promise<ReadonlyMap<string, PodUsage>>,
  resource: string, container: string | undefined, target: MetricTarget,
): Promise<{ replicas: number; metricName: string; current: MetricValueStatus }> {
  const averageValue = milliValue(target.averageValue);
  if (averageValue === undefined && target.averageUtilization === undefined) {
    throw new MetricComputationError('invalid resource metric source: neither an average utilization target nor an average value (usage) target was set');
  }
  const verb = averageValue !== undefined ? 'usage' : 'utilization';
  let metrics;
  try {
    metrics = await fetchResourceMetrics(input, readUsage, resource, container);
  } catch (error) {
    throw new MetricComputationError(`failed to get ${resource} ${verb}: unable to get metrics for resource ${resource}: ${errorText(error)}`);
  }
  const calculation = { currentReplicas: input.specReplicas, resource, pods, metrics, nowMs: input.nowMs, ...(container !== undefined ? { container } : {}) };
  try {
    if (averageValue !== undefined) {
      const result = averageValueReplicas(calculation, averageValue, input.settings);
      return { replicas: result.replicas, metricName: `${resource} resource`, current: { averageValue: formatMilliQuantity(result.averageMilli) } };
    }
    const result = utilizationReplicas(calculation, target.averageUtilization ?? 0, input.settings);
    const what = container === undefined ? 'resource' : 'container resource';
    return {
      replicas: result.replicas,
      metricName: `${resource} ${what} utilization (percentage of request)`,
      current: { averageUtilization: result.utilization, averageValue: formatMilliQuantity(result.rawAverageMilli) },
    };
  } catch (error) {
    throw new MetricComputationError(`failed to get ${resource} ${verb}: ${errorText(error)}`);
  }
}

async function fetchResourceMetrics(
  input: MetricEvaluationInput, readUsage: () => Promise<ReadonlyMap<string, PodUsage>>, resource: string, container: string | undefined,
): Promise<PodMetrics> {
  let usage: ReadonlyMap<string, PodUsage>;
  try {
    usage = await readUsage();
  } catch (error) {
    throw new MetricComputationError(`unable to fetch metrics from resource metrics API: ${errorText(error)}`);
  }
  if (usage.size === 0) throw new MetricComputationError('no metrics returned from resource metrics API');
  return podResourceMetrics(usage, input.namespace, resource, container);
}

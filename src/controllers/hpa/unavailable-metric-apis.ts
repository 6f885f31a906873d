// Pods and Object metrics come from custom.metrics.k8s.io and External ones from
// external.metrics.k8s.io. k8ts serves neither (as a cluster without a metrics adapter), so these
// metrics always fail, with the errors upstream's clients give in that cluster.
import type { MetricSpec } from 'kubernetes-types/autoscaling/v2.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';

const NO_CUSTOM_METRICS_API = 'unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered';
const NO_EXTERNAL_METRICS_API = 'unable to fetch metrics from external metrics API: the server could not find the requested resource';

export interface UnavailableMetric {
  /** The ScalingActive reason (and Warning event reason). */
  readonly reason: 'FailedGetPodsMetric' | 'FailedGetObjectMetric' | 'FailedGetExternalMetric' | 'InvalidMetricSourceType';
  /** The error text the condition message and the event carry. */
  readonly message: string;
}

/** Go's %+v of a *LabelSelector, enough for the selectors people write. */
function goSelector(selector: LabelSelector | undefined): string {
  if (selector === undefined) return '<nil>';
  const labels = Object.entries(selector.matchLabels ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}: ${v},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{},}`;
}

export function unavailableMetric(spec: MetricSpec, namespace: string): UnavailableMetric {
  switch (spec.type) {
    case 'Pods':
      return { reason: 'FailedGetPodsMetric', message: `unable to get metric ${spec.pods?.metric.name ?? ''}: ${NO_CUSTOM_METRICS_API}` };
    case 'Object': {
      const object = spec.object;
      const target = object?.target;
      if (!(target?.type === 'Value' && target.value !== undefined) && !(target?.type === 'AverageValue' && target.averageValue !== undefined)) {
        return { reason: 'FailedGetObjectMetric', message: 'invalid object metric source: neither a value target nor an average value target was set' };
      }
      // Upstream's format string takes its arguments out of order; kept so the text matches.
      return {
        reason: 'FailedGetObjectMetric',
        message: `unable to get metric ${object?.metric.name ?? ''}: ${object?.describedObject.kind ?? ''} on ${namespace} ${object?.describedObject.name ?? ''}/${NO_CUSTOM_METRICS_API}`,
      };
    }
    case 'External': {
      const external = spec.external;
      if (external?.target.averageValue === undefined && external?.target.value === undefined) {
        return { reason: 'FailedGetExternalMetric', message: 'invalid external metric source: neither a value target nor an average value target was set' };
      }
      return {
        reason: 'FailedGetExternalMetric',
        message: `unable to get external metric ${namespace}/${external.metric.name}/${goSelector(external.metric.selector)}: ${NO_EXTERNAL_METRICS_API}`,
      };
    }
    default:
      return { reason: 'InvalidMetricSourceType', message: `unknown metric source type "${spec.type}"` };
  }
}

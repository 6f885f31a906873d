// The TARGETS cell of `kubectl get hpa` (upstream's formatHPAMetrics, 1.32): each spec metric as
// `current/target`, `<unknown>` until the controller reports status.currentMetrics (matched by
// position), at most two shown. Resource metrics name their resource: `cpu: 12%/50%`.
import type { MetricSpec, MetricStatus, MetricTarget, MetricValueStatus } from 'kubernetes-types/autoscaling/v2.js';

const SHOWN = 2;
const UNKNOWN = '<unknown>';

/** A quantity as the object holds it (upstream prints its canonical form, which we do not keep). */
function quantity(value: string | number | undefined): string {
  return value === undefined ? '' : String(value);
}

/** External and Object metrics: an average per pod is marked `(avg)`. */
function valueOrAverage(target: MetricTarget | undefined, current: MetricValueStatus | undefined, hasStatus: boolean): string {
  if (target?.averageValue !== undefined) {
    const now = current?.averageValue === undefined ? UNKNOWN : quantity(current.averageValue);
    return `${now}/${quantity(target.averageValue)} (avg)`;
  }
  const now = hasStatus ? quantity(current?.value) : UNKNOWN;
  return `${now}/${quantity(target?.value)}`;
}

/** Resource and ContainerResource metrics: `name: current/target`, a value or a utilization. */
function resourceMetric(name: string, target: MetricTarget | undefined, current: MetricValueStatus | undefined, hasStatus: boolean): string {
  if (target?.averageValue !== undefined) {
    const now = hasStatus ? quantity(current?.averageValue) : UNKNOWN;
    return `${name}: ${now}/${quantity(target.averageValue)}`;
  }
  const now = current?.averageUtilization === undefined ? UNKNOWN : `${current.averageUtilization}%`;
  const wanted = target?.averageUtilization === undefined ? '<auto>' : `${target.averageUtilization}%`;
  return `${name}: ${now}/${wanted}`;
}

function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case 'External':
      return valueOrAverage(spec.external?.target, status?.external?.current, status?.external !== undefined);
    case 'Pods': {
      const now = status?.pods === undefined ? UNKNOWN : quantity(status.pods.current.averageValue);
      return `${now}/${quantity(spec.pods?.target.averageValue)}`;
    }
    case 'Object':
      return valueOrAverage(spec.object?.target, status?.object?.current, status?.object !== undefined);
    case 'Resource':
      return resourceMetric(spec.resource?.name ?? '', spec.resource?.target, status?.resource?.current, status?.resource !== undefined);
    case 'ContainerResource':
      return resourceMetric(
        spec.containerResource?.name ?? '', spec.containerResource?.target, status?.containerResource?.current,
        status?.containerResource !== undefined,
      );
    default:
      return '<unknown type>';
  }
}

export function formatHpaMetrics(specs: readonly MetricSpec[] | undefined, statuses: readonly MetricStatus[] | undefined): string {
  if (specs === undefined || specs.length === 0) return '<none>';
  const shown = specs.slice(0, SHOWN).map((spec, i) => formatMetric(spec, statuses?.[i]));
  const more = specs.length - SHOWN;
  return more > 0 ? `${shown.join(', ')} + ${more} more...` : shown.join(', ');
}

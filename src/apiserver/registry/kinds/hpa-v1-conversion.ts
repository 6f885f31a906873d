// autoscaling/v1 <-> autoscaling/v2 HorizontalPodAutoscaler. Objects are stored in the v2 shape;
// v1 sees the part of them it can express: its one metric, targetCPUUtilizationPercentage, is the
// v2 Resource cpu metric with a Utilization target (and currentCPUUtilizationPercentage that
// metric's current utilization). Upstream also carries v2's other metrics, behavior and conditions
// through v1 in `autoscaling.alpha.kubernetes.io/*` annotations; we do not, so a v1 write keeps only
// what v1 can say (README, "What is not supported yet"). kubectl writes v1 only in `kubectl
// autoscale`, a create.
import type { HorizontalPodAutoscaler as HpaV1 } from 'kubernetes-types/autoscaling/v1.js';
import type { HorizontalPodAutoscaler as HpaV2, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import { defaultHorizontalPodAutoscaler } from '../../../api/defaults/horizontal-pod-autoscaler.js';
import type { KubeObject } from '../../../api/object.js';

const CPU = 'cpu';

/** The fields that have a value: absent stays absent (never `undefined` in a stored object). */
function withoutUndefined(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, value]) => value !== undefined));
}

function copy<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

/** The served v1 object -> the stored v2 object, defaulted as a v2 write would be. */
export function hpaV1ToV2(obj: KubeObject): KubeObject {
  const v1 = obj as HpaV1;
  const cpu = v1.spec?.targetCPUUtilizationPercentage;
  const currentCpu = v1.status?.currentCPUUtilizationPercentage;
  const metrics: MetricSpec[] | undefined =
    cpu === undefined ? undefined : [{ type: 'Resource', resource: { name: CPU, target: { type: 'Utilization', averageUtilization: cpu } } }];
  const currentMetrics: MetricStatus[] | undefined =
    currentCpu === undefined ? undefined : [{ type: 'Resource', resource: { name: CPU, current: { averageUtilization: currentCpu } } }];
  const stored: KubeObject = withoutUndefined({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: copy(v1.metadata),
    spec: v1.spec && withoutUndefined({
      scaleTargetRef: copy(v1.spec.scaleTargetRef),
      minReplicas: v1.spec.minReplicas,
      maxReplicas: v1.spec.maxReplicas,
      metrics,
    }),
    status: v1.status && withoutUndefined({
      observedGeneration: v1.status.observedGeneration,
      lastScaleTime: v1.status.lastScaleTime,
      currentReplicas: v1.status.currentReplicas,
      desiredReplicas: v1.status.desiredReplicas,
      currentMetrics,
    }),
  });
  defaultHorizontalPodAutoscaler(stored);
  return stored;
}

function isCpuUtilization(metric: MetricSpec): boolean {
  return metric.type === 'Resource' && metric.resource?.name === CPU && metric.resource.target.averageUtilization !== undefined;
}

/** The stored v2 object -> the served v1 object. */
export function hpaV2ToV1(obj: KubeObject): KubeObject {
  const v2 = obj as HpaV2;
  const cpuMetric = v2.spec?.metrics?.find(isCpuUtilization);
  const currentCpu = v2.status?.currentMetrics?.find((m) => m.type === 'Resource' && m.resource?.name === CPU)?.resource?.current.averageUtilization;
  return withoutUndefined({
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: copy(v2.metadata),
    spec: v2.spec && withoutUndefined({
      scaleTargetRef: copy(v2.spec.scaleTargetRef),
      minReplicas: v2.spec.minReplicas,
      maxReplicas: v2.spec.maxReplicas,
      targetCPUUtilizationPercentage: cpuMetric?.resource?.target.averageUtilization,
    }),
    // v1's two replica counts have no omitempty: they read back as 0 before the controller runs.
    status: withoutUndefined({
      observedGeneration: v2.status?.observedGeneration,
      lastScaleTime: v2.status?.lastScaleTime,
      currentReplicas: v2.status?.currentReplicas ?? 0,
      desiredReplicas: v2.status?.desiredReplicas ?? 0,
      currentCPUUtilizationPercentage: currentCpu,
    }),
  });
}

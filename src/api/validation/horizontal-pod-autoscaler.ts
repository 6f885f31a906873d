// autoscaling/v2 HorizontalPodAutoscaler validation (upstream: ValidateHorizontalPodAutoscaler,
// its Update and StatusUpdate, pkg/apis/autoscaling/validation, 1.32). minReplicas 0 is allowed
// only with the HPAScaleToZero feature gate, which is off; an HPA already at 0 may stay there.
import { forbidden, invalid, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { validateBehavior } from './hpa-behavior.js';
import { validateCrossVersionObjectReference, validateMetricSpec } from './hpa-metric-spec.js';
import { numberOf, recordOf, recordsOf, stringOf, type JsonRecord } from './json-access.js';
import { validateObjectMeta } from './object-meta.js';

export function validateHorizontalPodAutoscaler(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata);
  const wasAtZero = old !== undefined && numberOf(recordOf(old.spec)?.minReplicas) === 0;
  errs.push(...validateSpec(recordOf(obj.spec) ?? {}, wasAtZero ? 0 : 1));
  errs.push(...validateStatus(recordOf(obj.status) ?? {}));
  return errs;
}

function validateSpec(spec: JsonRecord, minReplicasLowerBound: number): FieldError[] {
  const errs: FieldError[] = [];
  const minReplicas = numberOf(spec.minReplicas);
  // A plain int32 upstream: absent is zero.
  const maxReplicas = numberOf(spec.maxReplicas) ?? 0;
  if (minReplicas !== undefined && minReplicas < minReplicasLowerBound)
    errs.push(invalid('spec.minReplicas', minReplicas, `must be greater than or equal to ${minReplicasLowerBound}`));
  if (maxReplicas < 1) errs.push(invalid('spec.maxReplicas', maxReplicas, 'must be greater than 0'));
  if (minReplicas !== undefined && maxReplicas < minReplicas)
    errs.push(invalid('spec.maxReplicas', maxReplicas, 'must be greater than or equal to `minReplicas`'));
  errs.push(...validateCrossVersionObjectReference(spec.scaleTargetRef, 'spec.scaleTargetRef'));
  errs.push(...validateMetrics(spec.metrics, minReplicas));
  errs.push(...validateBehavior(spec.behavior, 'spec.behavior'));
  return errs;
}

function validateMetrics(value: unknown, minReplicas: number | undefined): FieldError[] {
  const metrics = recordsOf(value);
  const errs = metrics.flatMap((metric, i) => validateMetricSpec(metric, `spec.metrics[${i}]`));
  // At zero pods there is no pod to measure: only a metric from outside the pods can wake it.
  const outsidePods = metrics.some((metric) => ['Object', 'External'].includes(stringOf(metric.type)));
  if (minReplicas === 0 && !outsidePods)
    errs.push(forbidden('spec.metrics', 'must specify at least one Object or External metric to support scaling to zero replicas'));
  return errs;
}

function validateStatus(status: JsonRecord): FieldError[] {
  const errs: FieldError[] = [];
  for (const name of ['currentReplicas', 'desiredReplicas'] as const) {
    const value = numberOf(status[name]);
    if (value !== undefined && value < 0) errs.push(invalid(`status.${name}`, value, 'must be greater than or equal to 0'));
  }
  return errs;
}

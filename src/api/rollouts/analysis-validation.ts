// Admission validation of AnalysisTemplate, ClusterAnalysisTemplate and AnalysisRun: what Argo's
// CRD schemas require (metric name and provider, argument names, dryRun/measurementRetention
// entries, an AnalysisRun's metrics) plus unique metric and argument names. Deeper metric rules
// (count vs limits, intervals, exactly one provider) are Argo's run-time checks: an AnalysisRun
// that breaks them is accepted and then fails with phase Error, as in Argo (see
// src/rollouts/analysis/engine/metric-settings.ts).
import { duplicate, required, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { isRecord, numberOf, recordOf, recordsOf, stringOf, type JsonRecord } from '../validation/json-access.js';
import { validateObjectMeta } from '../validation/object-meta.js';
import { validateNonNegative } from '../validation/probe.js';

function validateMetrics(metrics: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  recordsOf(metrics).forEach((metric, i) => {
    const name = stringOf(metric.name);
    if (name === '') errs.push(required(`${path}[${i}].name`));
    else if (seen.has(name)) errs.push(duplicate(`${path}[${i}].name`, name));
    seen.add(name);
    if (!isRecord(metric.provider)) errs.push(required(`${path}[${i}].provider`));
  });
  return errs;
}

function validateArgs(args: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  recordsOf(args).forEach((arg, i) => {
    const name = stringOf(arg.name);
    if (name === '') errs.push(required(`${path}[${i}].name`));
    else if (seen.has(name)) errs.push(duplicate(`${path}[${i}].name`, name));
    seen.add(name);
    const secret = recordOf(recordOf(arg.valueFrom)?.secretKeyRef);
    if (secret !== undefined) {
      if (stringOf(secret.name) === '') errs.push(required(`${path}[${i}].valueFrom.secretKeyRef.name`));
      if (stringOf(secret.key) === '') errs.push(required(`${path}[${i}].valueFrom.secretKeyRef.key`));
    }
  });
  return errs;
}

/** The parts AnalysisTemplateSpec and AnalysisRunSpec share. */
function validateCommon(spec: JsonRecord): FieldError[] {
  const errs = [...validateMetrics(spec.metrics, 'spec.metrics'), ...validateArgs(spec.args, 'spec.args')];
  recordsOf(spec.dryRun).forEach((d, i) => {
    if (stringOf(d.metricName) === '') errs.push(required(`spec.dryRun[${i}].metricName`));
  });
  recordsOf(spec.measurementRetention).forEach((m, i) => {
    if (stringOf(m.metricName) === '') errs.push(required(`spec.measurementRetention[${i}].metricName`));
    if (numberOf(m.limit) === undefined) errs.push(required(`spec.measurementRetention[${i}].limit`));
    else errs.push(...validateNonNegative(m.limit, `spec.measurementRetention[${i}].limit`));
  });
  return errs;
}

function validateTemplateSpec(specValue: unknown): FieldError[] {
  if (!isRecord(specValue)) return [required('spec')];
  const errs = validateCommon(specValue);
  recordsOf(specValue.templates).forEach((t, i) => {
    if (stringOf(t.templateName) === '') errs.push(required(`spec.templates[${i}].templateName`));
  });
  return errs;
}

export function validateAnalysisTemplate(obj: KubeObject, old?: KubeObject): FieldError[] {
  return [...validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata), ...validateTemplateSpec(obj.spec)];
}

export function validateClusterAnalysisTemplate(obj: KubeObject, old?: KubeObject): FieldError[] {
  return [...validateObjectMeta(obj.metadata, { namespaced: false, nameRule: 'dns1123Subdomain' }, old?.metadata), ...validateTemplateSpec(obj.spec)];
}

export function validateAnalysisRun(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata);
  const spec = recordOf(obj.spec);
  if (spec === undefined) return [...errs, required('spec')];
  if (!Array.isArray(spec.metrics)) errs.push(required('spec.metrics'));
  errs.push(...validateCommon(spec));
  const ttl = recordOf(spec.ttlStrategy);
  for (const key of ['secondsAfterCompletion', 'secondsAfterFailure', 'secondsAfterSuccess'])
    errs.push(...validateNonNegative(ttl?.[key], `spec.ttlStrategy.${key}`));
  return errs;
}

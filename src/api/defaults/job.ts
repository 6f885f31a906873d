// batch/v1 Job defaults (upstream: pkg/apis/batch/v1/defaults.go SetDefaults_Job) and the pod
// template defaults every workload gets. Most Job fields are Go pointers: a field the client set
// to anything, even an empty string, is kept (and validated), so "unset" here means absent or null.
import type { KubeObject } from '../object.js';
import { ensureRecord, isRecord, recordOf, recordsOf, type JsonRecord } from '../validation/json-access.js';
import { defaultPodTemplateSpec } from './pod-spec.js';

const MAX_INT32 = 2147483647;

const isNil = (value: unknown): boolean => value === undefined || value === null;

export function defaultJob(obj: KubeObject): void {
  const spec = ensureRecord(obj, 'spec');
  // A non-parallel Job may leave both unset: one pod, run to one completion. A parallel one that
  // sets only completions runs one pod at a time; one that sets only parallelism is a work queue
  // (completions stays unset).
  if (isNil(spec.completions) && isNil(spec.parallelism)) spec.completions = 1;
  if (isNil(spec.parallelism)) spec.parallelism = 1;
  // With a per-index limit, the job-wide one would only get in the way.
  if (isNil(spec.backoffLimit)) spec.backoffLimit = isNil(spec.backoffLimitPerIndex) ? 6 : MAX_INT32;
  if (isNil(spec.completionMode)) spec.completionMode = 'NonIndexed';
  if (isNil(spec.suspend)) spec.suspend = false;
  // Pods a failure policy must judge are replaced only once they have really failed.
  if (isNil(spec.podReplacementPolicy)) spec.podReplacementPolicy = isRecord(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed';
  if (isNil(spec.manualSelector)) spec.manualSelector = false;
  defaultJobTemplateParts(spec);
  copyTemplateLabelsToJob(obj, spec);
}

/**
 * What a CronJob's `jobTemplate.spec` gets too (upstream's generated defaulters walk into it, but
 * SetDefaults_Job itself is for Jobs only): the pod template's defaults and the failure policy's
 * condition patterns.
 */
export function defaultJobTemplateParts(spec: JsonRecord): void {
  for (const rule of recordsOf(recordOf(spec.podFailurePolicy)?.rules)) {
    for (const pattern of recordsOf(rule.onPodConditions)) if (isNil(pattern.status) || pattern.status === '') pattern.status = 'True';
  }
  if (isRecord(spec.template) || spec.template === undefined) defaultPodTemplateSpec(ensureRecord(spec, 'template'));
}

/** A Job without labels of its own is labelled like its pods. */
export function copyTemplateLabelsToJob(obj: KubeObject, spec: JsonRecord): void {
  const templateLabels = recordOf(recordOf(recordOf(spec.template)?.metadata)?.labels);
  if (templateLabels === undefined) return;
  const metadata = ensureRecord(obj, 'metadata');
  const labels = recordOf(metadata.labels);
  if (labels === undefined || Object.keys(labels).length === 0) metadata.labels = { ...templateLabels };
}

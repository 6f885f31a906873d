// The analysis references a Rollout makes (canary step / background analysis, blue-green pre- and
// post-promotion): what Argo's CRD schema requires (templateName, argument names) and Argo's
// check that a metadata fieldRef names something the downward API can read.
import { required, type FieldError } from '../field-error.js';
import { invalidRendered } from '../validation/go-value.js';
import { recordOf, recordsOf, stringOf, type JsonRecord } from '../validation/json-access.js';
import { RolloutMessage } from './rollout-messages.js';

/** metadata.name, metadata.labels['app'], ... — what fieldpath.ExtractFieldPathAsString accepts under metadata. */
const METADATA_FIELD_PATH = /^metadata\.(name|namespace|uid|labels|annotations|labels\[['"][^'"]+['"]\]|annotations\[['"][^'"]+['"]\])$/;

/** Templates and args of a RolloutAnalysis (or RolloutAnalysisBackground) at `path`. */
export function validateRolloutAnalysis(analysis: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  recordsOf(analysis.templates).forEach((template, i) => {
    if (stringOf(template.templateName) === '') errs.push(required(`${path}.templates[${i}].templateName`));
  });
  recordsOf(analysis.args).forEach((arg, i) => {
    const argPath = `${path}.args[${i}]`;
    if (stringOf(arg.name) === '') errs.push(required(`${argPath}.name`));
    const fieldPath = stringOf(recordOf(recordOf(arg.valueFrom)?.fieldRef)?.fieldPath);
    if (fieldPath.startsWith('metadata') && !METADATA_FIELD_PATH.test(fieldPath)) {
      errs.push(invalidRendered(`${argPath}.valueFrom.fieldRef.fieldPath`, JSON.stringify(fieldPath), RolloutMessage.invalidAnalysisArgs));
    }
  });
  recordsOf(analysis.dryRun).forEach((dryRun, i) => {
    if (stringOf(dryRun.metricName) === '') errs.push(required(`${path}.dryRun[${i}].metricName`));
  });
  recordsOf(analysis.measurementRetention).forEach((retention, i) => {
    if (stringOf(retention.metricName) === '') errs.push(required(`${path}.measurementRetention[${i}].metricName`));
  });
  return errs;
}

/** Argo's AntiAffinity rule: exactly one of preferred/required, preferred weight 1..100. */
export function validateAntiAffinity(value: unknown, path: string): FieldError[] {
  const antiAffinity = recordOf(value);
  if (antiAffinity === undefined) return [];
  const preferred = recordOf(antiAffinity.preferredDuringSchedulingIgnoredDuringExecution);
  const requiredRule = recordOf(antiAffinity.requiredDuringSchedulingIgnoredDuringExecution);
  const errs: FieldError[] = [];
  if ((preferred === undefined) === (requiredRule === undefined)) {
    const rendered = `"antiAffinity.PreferredDuringSchedulingIgnoredDuringExecution: ${preferred !== undefined} antiAffinity.RequiredDuringSchedulingIgnoredDuringExecution: ${requiredRule !== undefined}"`;
    errs.push(invalidRendered(path, rendered, RolloutMessage.invalidAntiAffinityStrategy));
  }
  const weight = preferred?.weight;
  if (preferred !== undefined && (typeof weight !== 'number' || weight < 1 || weight > 100)) {
    errs.push(invalidRendered(`${path}.weight`, String(typeof weight === 'number' ? weight : 0), RolloutMessage.invalidAntiAffinityWeight));
  }
  return errs;
}

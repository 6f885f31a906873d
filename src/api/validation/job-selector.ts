// A Job's selector (upstream: ValidateJobSpec's selector part and validateGeneratedSelector): it is
// required, valid and matches the pod template's labels; and unless the Job asked for a manual
// selector, the template carries the labels the server generated for this Job and the selector
// selects exactly them. A user who sets a selector of their own without `manualSelector: true`
// gets it extended with the uid label, which then cannot match: "`selector` not auto-generated".
import { required, type FieldError } from '../field-error.js';
import {
  CONTROLLER_UID_LABEL, JOB_NAME_LABEL, LEGACY_CONTROLLER_UID_LABEL, LEGACY_JOB_NAME_LABEL,
} from '../job-labels.js';
import type { KubeObject } from '../object.js';
import { goLabelSelector, goStringMap, invalidRendered } from './go-value.js';
import { isRecord, recordOf, stringMapOf, type JsonRecord } from './json-access.js';
import { selectorMatchesLabels, validateLabelSelector } from './label-selector.js';

const TEMPLATE_METADATA = 'spec.template.metadata';

function templateLabels(spec: JsonRecord): Record<string, string> | undefined {
  return stringMapOf(recordOf(recordOf(spec.template)?.metadata)?.labels);
}

/** Required and valid, and (whoever wrote it) matching the pods the Job will create. */
export function validateJobSelector(spec: JsonRecord): FieldError[] {
  const selector = spec.selector;
  const errs = isRecord(selector) ? validateLabelSelector(selector, 'spec.selector') : [required('spec.selector')];
  // A selector that does not parse is reported above; a missing one matches nothing.
  if (errs.length > 0 && isRecord(selector)) return errs;
  const labels = templateLabels(spec);
  if (!selectorMatchesLabels(selector, labels))
    errs.push(invalidRendered(`${TEMPLATE_METADATA}.labels`, goStringMap(labels), '`selector` does not match template `labels`'));
  return errs;
}

/**
 * The generated labels and selector are still the server's. `requirePrefixedLabels` is false only
 * for Jobs created before the prefixed labels existed (their update must not start failing).
 */
export function validateGeneratedSelector(job: KubeObject, requirePrefixedLabels: boolean): FieldError[] {
  const spec = recordOf(job.spec) ?? {};
  if (spec.manualSelector === true || !isRecord(spec.selector)) return [];
  const name = job.metadata?.name ?? '';
  const uid = job.metadata?.uid ?? '';
  const errs: FieldError[] = [];
  if (uid === '') errs.push(required('metadata.uid'));
  const labels = templateLabels(spec);
  const expected: Record<string, string> = { [LEGACY_CONTROLLER_UID_LABEL]: uid, [LEGACY_JOB_NAME_LABEL]: name };
  if (requirePrefixedLabels) Object.assign(expected, { [CONTROLLER_UID_LABEL]: uid, [JOB_NAME_LABEL]: name });
  for (const [key, value] of Object.entries(expected)) errs.push(...validateHasLabel(labels, key, value));
  if (!selectorMatchesLabels(spec.selector, expected))
    errs.push(invalidRendered('spec.selector', goLabelSelector(spec.selector), '`selector` not auto-generated'));
  return errs;
}

/** Upstream's ValidateHasLabel on the pod template's metadata. */
function validateHasLabel(labels: Record<string, string> | undefined, key: string, value: string): FieldError[] {
  const path = `${TEMPLATE_METADATA}.labels[${key}]`;
  const actual = labels?.[key];
  if (actual === undefined) return [required(path, `must be '${value}'`)];
  return actual === value ? [] : [invalidRendered(path, goStringMap(labels), `must be '${value}'`)];
}

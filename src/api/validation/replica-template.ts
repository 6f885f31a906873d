// What Deployments and ReplicaSets share (upstream pkg/apis/apps/validation): a required,
// non-empty selector that matches the pod template, and a template whose pods restart Always.
import { invalid, notSupported, required, type FieldError } from '../field-error.js';
import { goLabelSelector, goStringMap, invalidRendered } from './go-value.js';
import { isRecord, numberOf, recordOf, stringMapOf, stringOf } from './json-access.js';
import { isEmptySelector, selectorMatchesLabels, validateLabelSelector } from './label-selector.js';
import { validatePodTemplateSpec } from './pod-spec.js';

/**
 * `spec.selector` and `spec.template` together, in upstream's order: the selector is required,
 * valid and non-empty; a selector that does not parse stops there ("invalid label selector");
 * otherwise the template is checked, including that the selector matches its labels. A missing
 * selector matches nothing, so upstream reports the mismatch too.
 */
export function validateSelectorAndTemplate(selector: unknown, template: unknown, specPath: string): FieldError[] {
  const path = `${specPath}.selector`;
  if (!isRecord(selector)) return [required(path), ...validateReplicaTemplate(template, undefined, `${specPath}.template`)];
  const errs = validateLabelSelector(selector, path);
  if (isEmptySelector(selector)) errs.push(invalidRendered(path, goLabelSelector(selector), 'empty selector is invalid for deployment'));
  if (errs.length > 0 && !isEmptySelector(selector)) {
    errs.push(invalidRendered(path, goLabelSelector(selector), 'invalid label selector'));
    return errs;
  }
  return [...errs, ...validateReplicaTemplate(template, selector, `${specPath}.template`)];
}

/** Upstream's ValidatePodTemplateSpecForReplicaSet; an undefined selector matches nothing. */
function validateReplicaTemplate(template: unknown, selector: unknown, path: string): FieldError[] {
  if (!isRecord(template)) return [required(path)];
  const errs: FieldError[] = [];
  const labels = stringMapOf(recordOf(template.metadata)?.labels);
  const matches = isRecord(selector) && (isEmptySelector(selector) || selectorMatchesLabels(selector, labels));
  if (!matches)
    errs.push(invalidRendered(`${path}.metadata.labels`, goStringMap(labels), '`selector` does not match template `labels`'));
  errs.push(...validatePodTemplateSpec(template, path));
  const spec = recordOf(template.spec) ?? {};
  const restartPolicy = stringOf(spec.restartPolicy);
  if (restartPolicy !== 'Always') errs.push(notSupported(`${path}.spec.restartPolicy`, restartPolicy, ['Always']));
  const deadline = numberOf(spec.activeDeadlineSeconds);
  if (deadline !== undefined)
    errs.push(invalid(`${path}.spec.activeDeadlineSeconds`, deadline, 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  return errs;
}

// apps/v1 DaemonSet validation (upstream: ValidateDaemonSet, ValidateDaemonSetUpdate and the apps/v1
// strategy's immutable selector). Unlike a Deployment's, a missing selector is not "Required":
// upstream reports only that it does not match the template's labels (a nil selector matches
// nothing), and the whole pod template is validated as a pod's.
import { forbidden, notSupported, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { validateDaemonSetUpdateStrategy } from './daemon-set-update-strategy.js';
import { validateImmutableSelector } from './deployment.js';
import { goLabelSelector, goStringMap, invalidRendered } from './go-value.js';
import { isNil, isRecord, recordOf, stringMapOf, stringOf, type JsonRecord } from './json-access.js';
import { isEmptySelector, selectorMatchesLabels, validateLabelSelector } from './label-selector.js';
import { validateObjectMeta } from './object-meta.js';
import { validatePodTemplateSpec } from './pod-spec.js';
import { validateNonNegative } from './probe.js';

export function validateDaemonSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata);
  errs.push(...validateDaemonSetSpec(recordOf(obj['spec']) ?? {}));
  if (old !== undefined) errs.push(...validateImmutableSelector(obj, old));
  return errs;
}

function validateDaemonSetSpec(spec: JsonRecord): FieldError[] {
  const errs = validateSelectorMatchesTemplate(spec.selector, spec.template);
  errs.push(...validatePodTemplateSpec(spec.template, 'spec.template'));
  const podSpec = recordOf(recordOf(spec.template)?.spec) ?? {};
  const restartPolicy = stringOf(podSpec.restartPolicy);
  if (restartPolicy !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
  if (!isNil(podSpec.activeDeadlineSeconds))
    errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in DaemonSet is not Supported'));
  errs.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateDaemonSetUpdateStrategy(spec.updateStrategy, 'spec.updateStrategy'));
  errs.push(...validateNonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return errs;
}

/**
 * In upstream's order: the selector's own syntax, then (when it parses) whether it selects the
 * template's labels (an empty selector selects everything, a missing one nothing), then emptiness.
 */
function validateSelectorMatchesTemplate(selector: unknown, template: unknown): FieldError[] {
  const errs = validateLabelSelector(selector, 'spec.selector');
  const parses = errs.length === 0;
  const labels = stringMapOf(recordOf(recordOf(template)?.metadata)?.labels);
  const matches = isRecord(selector) && (isEmptySelector(selector) || selectorMatchesLabels(selector, labels));
  if (parses && !matches)
    errs.push(invalidRendered('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
  if (isRecord(selector) && isEmptySelector(selector))
    errs.push(invalidRendered('spec.selector', goLabelSelector(selector), 'empty selector is invalid for daemonset'));
  return errs;
}

// Rollout admission validation: Argo Rollouts' ValidateRolloutSpec essentials (selector and
// template as for a ReplicaSet, workloadRef xor template, exactly one strategy, canary steps,
// blue-green services) with Argo's messages. Argo runs these in its controller (InvalidSpec
// condition); k8ts serves the kind itself, so it rejects at admission with a 422 instead.
import { forbidden, invalid, notSupported, required, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { defaultPodTemplateSpec } from '../defaults/pod-spec.js';
import { invalidRendered } from '../validation/go-value.js';
import { isRecord, numberOf, recordOf, stringMapOf, stringOf, type JsonRecord } from '../validation/json-access.js';
import { isEmptySelector, validateLabelSelector } from '../validation/label-selector.js';
import { validateObjectMeta } from '../validation/object-meta.js';
import { validateNonNegative } from '../validation/probe.js';
import { validateSelectorAndTemplate } from '../validation/replica-template.js';
import { validateAntiAffinity, validateRolloutAnalysis } from './analysis-ref-validation.js';
import { validateCanaryStrategy } from './canary-validation.js';
import { RolloutMessage } from './rollout-messages.js';
import { RolloutDefaults, ScaleDown } from './well-known.js';

/** Argo's RolloutSpec.EmptyTemplate: a template without labels or annotations counts as empty. */
function isEmptyTemplate(template: unknown): boolean {
  const meta = recordOf(recordOf(template)?.metadata);
  return Object.keys(stringMapOf(meta?.labels) ?? {}).length === 0 && Object.keys(stringMapOf(meta?.annotations) ?? {}).length === 0;
}

/**
 * Selector and template, as for a ReplicaSet. Argo defaults a copy of the template first (the
 * ReplicaSet it creates will be defaulted), so `restartPolicy` and the like need not be written.
 */
function validateSelectorTemplate(spec: JsonRecord): FieldError[] {
  const template = isRecord(spec.template) ? structuredClone(spec.template) : spec.template;
  if (isRecord(template)) defaultPodTemplateSpec(template);
  if (isRecord(spec.selector)) return validateSelectorAndTemplate(spec.selector, template, 'spec');
  const missing = required('spec.selector', RolloutMessage.missingField('.spec.selector'));
  // Without a selector upstream's template check also fails; keep its errors but not a second "Required" for the selector.
  return [missing, ...validateSelectorAndTemplate(undefined, template, 'spec').filter((e) => e.field !== 'spec.selector')];
}

function validateWorkloadRef(spec: JsonRecord, ref: JsonRecord): FieldError[] {
  const errs: FieldError[] = [];
  if (stringOf(ref.name) === '') errs.push(required('spec.workloadRef.name'));
  const scaleDown = stringOf(ref.scaleDown);
  const allowed: string[] = Object.values(ScaleDown);
  if (scaleDown !== '' && !allowed.includes(scaleDown)) errs.push(notSupported('spec.workloadRef.scaleDown', scaleDown, allowed));
  if (!isEmptyTemplate(spec.template)) errs.push(forbidden('spec.template', RolloutMessage.templateMustBeEmptyForWorkloadRef));
  if (isRecord(spec.selector)) {
    errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    if (isEmptySelector(spec.selector)) errs.push(invalid('spec.selector', spec.selector, 'empty selector is invalid for deployment'));
  }
  return errs;
}

function validateBlueGreen(blueGreen: JsonRecord, revisionHistoryLimit: number): FieldError[] {
  const path = 'spec.strategy.blueGreen';
  const errs: FieldError[] = [];
  const active = stringOf(blueGreen.activeService);
  if (active === '') errs.push(required(`${path}.activeService`));
  else if (active === stringOf(blueGreen.previewService)) errs.push(invalid(`${path}.activeService`, active, RolloutMessage.duplicatedServicesBlueGreen));
  const limit = numberOf(blueGreen.scaleDownDelayRevisionLimit);
  if (limit !== undefined && revisionHistoryLimit < limit)
    errs.push(invalid(`${path}.scaleDownDelayRevisionLimit`, limit, RolloutMessage.scaleDownLimitLargerThanRevisionLimit));
  for (const key of ['previewReplicaCount', 'autoPromotionSeconds', 'scaleDownDelaySeconds', 'scaleDownDelayRevisionLimit', 'abortScaleDownDelaySeconds'])
    errs.push(...validateNonNegative(blueGreen[key], `${path}.${key}`));
  for (const key of ['prePromotionAnalysis', 'postPromotionAnalysis']) {
    const analysis = recordOf(blueGreen[key]);
    if (analysis !== undefined) errs.push(...validateRolloutAnalysis(analysis, `${path}.${key}`));
  }
  errs.push(...validateAntiAffinity(blueGreen.antiAffinity, `${path}.antiAffinity`));
  return errs;
}

function validateStrategy(spec: JsonRecord): FieldError[] {
  const strategy = recordOf(spec.strategy);
  const blueGreen = recordOf(strategy?.blueGreen);
  const canary = recordOf(strategy?.canary);
  if (blueGreen === undefined && canary === undefined)
    return [required('spec.strategy', RolloutMessage.missingField('.spec.strategy.canary or .spec.strategy.blueGreen'))];
  if (blueGreen !== undefined && canary !== undefined)
    return [invalidRendered('spec.strategy', '"blueGreen: true canary: true"', RolloutMessage.invalidStrategy)];
  if (blueGreen !== undefined) return validateBlueGreen(blueGreen, numberOf(spec.revisionHistoryLimit) ?? RolloutDefaults.revisionHistoryLimit);
  return validateCanaryStrategy(canary ?? {}, 'spec.strategy.canary');
}

/** The spec of a Rollout (exported for the rollout controller's InvalidSpec condition). */
export function validateRolloutSpec(specValue: unknown): FieldError[] {
  const spec = recordOf(specValue) ?? {};
  const errs = validateNonNegative(spec.replicas, 'spec.replicas');
  const workloadRef = recordOf(spec.workloadRef);
  errs.push(...(workloadRef === undefined ? validateSelectorTemplate(spec) : validateWorkloadRef(spec, workloadRef)));
  errs.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  const deadline = numberOf(spec.progressDeadlineSeconds) ?? RolloutDefaults.progressDeadlineSeconds;
  errs.push(...validateNonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
  if (deadline <= (numberOf(spec.minReadySeconds) ?? 0))
    errs.push(invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'));
  const analysis = recordOf(spec.analysis);
  if (analysis !== undefined) {
    errs.push(...validateNonNegative(analysis.successfulRunHistoryLimit, 'spec.analysis.successfulRunHistoryLimit'));
    errs.push(...validateNonNegative(analysis.unsuccessfulRunHistoryLimit, 'spec.analysis.unsuccessfulRunHistoryLimit'));
  }
  errs.push(...validateStrategy(spec));
  return errs;
}

export function validateRollout(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata);
  errs.push(...validateRolloutSpec(obj.spec));
  return errs;
}

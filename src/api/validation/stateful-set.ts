// apps/v1 StatefulSet validation as of Kubernetes 1.32 (upstream: ValidateStatefulSet and
// ValidateStatefulSetUpdate). Two things differ from the other workloads, both upstream's:
//   - the name must be a DNS label, since each pod's hostname is `<name>-<ordinal>`;
//   - the pod template is checked only for its labels, annotations, restartPolicy and
//     activeDeadlineSeconds, not as a pod (upstream started validating it as a pod, with the claim
//     templates as volumes, in 1.34), and volumeClaimTemplates and serviceName are not checked at
//     all; a bad template shows up as the controller's FailedCreate events instead.
import { forbidden, invalid, notSupported, required, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { goIntOrString, goLabelSelector, goStringMap, invalidRendered } from './go-value.js';
import { intOrPercentValue, validateIntOrPercent, validateNotMoreThan100Percent } from './int-or-percent.js';
import { isNil, isRecord, recordOf, stringMapOf, stringOf, type JsonRecord } from './json-access.js';
import { isEmptySelector, selectorMatchesLabels, validateLabelSelector } from './label-selector.js';
import { validateAnnotations, validateLabels, validateObjectMeta } from './object-meta.js';
import { validateNonNegative } from './probe.js';
import { validateStatefulSetUpdate } from './stateful-set-update.js';

export function validateStatefulSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Label' }, old?.metadata);
  errs.push(...validateStatefulSetSpec(recordOf(obj['spec']) ?? {}));
  if (old !== undefined) errs.push(...validateStatefulSetUpdate(obj, old));
  return errs;
}

function validateStatefulSetSpec(spec: JsonRecord): FieldError[] {
  const errs = validatePodManagementPolicy(spec.podManagementPolicy);
  errs.push(...validateUpdateStrategy(recordOf(spec.updateStrategy) ?? {}));
  errs.push(...validateRetentionPolicy(spec.persistentVolumeClaimRetentionPolicy));
  errs.push(...validateNonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonNegative(recordOf(spec.ordinals)?.start, 'spec.ordinals.start'));
  errs.push(...validateSelectorAndTemplate(spec.selector, recordOf(spec.template) ?? {}));
  return errs;
}

function validatePodManagementPolicy(value: unknown): FieldError[] {
  const policy = stringOf(value);
  if (policy === '') return [required('spec.podManagementPolicy')];
  if (policy === 'OrderedReady' || policy === 'Parallel') return [];
  return [invalid('spec.podManagementPolicy', policy, "must be 'OrderedReady' or 'Parallel'")];
}

function validateUpdateStrategy(strategy: JsonRecord): FieldError[] {
  const path = 'spec.updateStrategy';
  const rollingUpdate = recordOf(strategy.rollingUpdate);
  switch (stringOf(strategy.type)) {
    case '':
      return [required(path)];
    case 'OnDelete':
      return rollingUpdate === undefined
        ? []
        : [invalidRendered(`${path}.rollingUpdate`, goRollingUpdate(rollingUpdate), "only allowed for updateStrategy 'RollingUpdate'")];
    case 'RollingUpdate':
      return rollingUpdate === undefined ? [] : validateRollingUpdate(rollingUpdate, `${path}.rollingUpdate`);
    default:
      return [invalidRendered(path, goUpdateStrategy(strategy), "must be 'RollingUpdate' or 'OnDelete'")];
  }
}

function validateRollingUpdate(rollingUpdate: JsonRecord, path: string): FieldError[] {
  const errs = validateNonNegative(rollingUpdate.partition, `${path}.partition`);
  const maxUnavailable = rollingUpdate.maxUnavailable;
  if (isNil(maxUnavailable)) return errs;
  const maxUnavailablePath = `${path}.maxUnavailable`;
  errs.push(...validateIntOrPercent(maxUnavailable, maxUnavailablePath));
  if ((intOrPercentValue(maxUnavailable)?.value ?? 0) === 0)
    errs.push(invalidRendered(maxUnavailablePath, goIntOrString(maxUnavailable), 'cannot be 0'));
  errs.push(...validateNotMoreThan100Percent(maxUnavailable, maxUnavailablePath));
  return errs;
}

function validateRetentionPolicy(value: unknown): FieldError[] {
  const policy = recordOf(value);
  if (policy === undefined) return [];
  const path = 'spec.persistentVolumeClaimRetentionPolicy';
  return (['whenDeleted', 'whenScaled'] as const).flatMap((field) => {
    const type = stringOf(policy[field]);
    return type === 'Retain' || type === 'Delete' ? [] : [notSupported(`${path}.${field}`, type, ['Retain', 'Delete'])];
  });
}

/**
 * In upstream's order: the selector is required, valid and non-empty; one that does not parse is
 * reported once more and the template's labels are then not looked at; otherwise they must match
 * (a missing selector matches nothing, an empty one everything) and are reported at
 * `spec.template.labels`/`.annotations`, as upstream spells those paths. restartPolicy and
 * activeDeadlineSeconds are checked whatever the selector.
 */
function validateSelectorAndTemplate(selector: unknown, template: JsonRecord): FieldError[] {
  const selectorErrs = isRecord(selector) ? validateLabelSelector(selector, 'spec.selector') : [required('spec.selector')];
  const errs = [...selectorErrs];
  if (isRecord(selector) && isEmptySelector(selector))
    errs.push(invalidRendered('spec.selector', goLabelSelector(selector), 'empty selector is invalid for statefulset'));
  if (isRecord(selector) && selectorErrs.length > 0) errs.push(invalidRendered('spec.selector', goLabelSelector(selector), ''));
  else errs.push(...validateTemplateMetadata(selector, recordOf(template.metadata) ?? {}));
  const podSpec = recordOf(template.spec) ?? {};
  const restartPolicy = stringOf(podSpec.restartPolicy);
  if (restartPolicy !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
  if (!isNil(podSpec.activeDeadlineSeconds))
    errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in StatefulSet is not Supported'));
  return errs;
}

function validateTemplateMetadata(selector: unknown, metadata: JsonRecord): FieldError[] {
  const errs: FieldError[] = [];
  const labels = stringMapOf(metadata.labels);
  const selectsAll = isRecord(selector) && isEmptySelector(selector);
  if (!selectsAll && !selectorMatchesLabels(selector, labels))
    errs.push(invalidRendered('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
  errs.push(...validateLabels(metadata.labels, 'spec.template.labels'));
  errs.push(...validateAnnotations(metadata.annotations, 'spec.template.annotations'));
  return errs;
}

/** The internal RollingUpdateStatefulSetStrategy as Go's %#v prints it. */
function goRollingUpdate(rollingUpdate: JsonRecord): string {
  const partition = typeof rollingUpdate.partition === 'number' ? rollingUpdate.partition : 0;
  const maxUnavailable = isNil(rollingUpdate.maxUnavailable) ? '(*intstr.IntOrString)(nil)' : `&${goIntOrString(rollingUpdate.maxUnavailable)}`;
  return `apps.RollingUpdateStatefulSetStrategy{Partition:${partition}, MaxUnavailable:${maxUnavailable}}`;
}

/** Upstream prints the rollingUpdate pointer as an address; its contents say more. */
function goUpdateStrategy(strategy: JsonRecord): string {
  const rollingUpdate = recordOf(strategy.rollingUpdate);
  const rendered = rollingUpdate === undefined ? '(*apps.RollingUpdateStatefulSetStrategy)(nil)' : `&${goRollingUpdate(rollingUpdate)}`;
  return `apps.StatefulSetUpdateStrategy{Type:${JSON.stringify(stringOf(strategy.type))}, RollingUpdate:${rendered}}`;
}

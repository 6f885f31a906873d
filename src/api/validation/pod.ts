// core/v1 Pod validation (upstream: ValidatePodCreate, ValidatePodUpdate).
import { forbidden, invalid, required, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { describeJsonDiff } from './json-diff.js';
import { arrayOf, isRecord, jsonEqual, numberOf, recordOf, recordsOf, stringOf, type JsonRecord } from './json-access.js';
import { inclusiveRangeError } from './name-rules.js';
import { validateObjectMeta } from './object-meta.js';
import { validatePodSpec } from './pod-spec.js';

export const POD_UPDATE_FORBIDDEN_MESSAGE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

const MAX_INT32 = 2147483647;

export function validatePod(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata);
  errs.push(...validatePodSpec(obj.spec, 'spec', true));
  const spec = recordOf(obj.spec) ?? {};
  if (old === undefined) {
    if (arrayOf(spec.ephemeralContainers).length > 0) errs.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  } else {
    errs.push(...validatePodSpecUpdate(spec, recordOf(old.spec) ?? {}));
  }
  return errs;
}

function validateContainerCount(now: unknown, before: unknown, path: string): FieldError[] {
  return arrayOf(now).length === arrayOf(before).length ? [] : [forbidden(path, 'pod updates may not add or remove containers')];
}

function validateDeadlineUpdate(spec: JsonRecord, old: JsonRecord): FieldError[] {
  const now = numberOf(spec.activeDeadlineSeconds);
  const before = numberOf(old.activeDeadlineSeconds);
  if (now !== undefined) {
    if (now < 0 || now > MAX_INT32) return [invalid('spec.activeDeadlineSeconds', now, inclusiveRangeError(0, MAX_INT32))];
    if (before !== undefined && before < now)
      return [invalid('spec.activeDeadlineSeconds', now, 'must be less than or equal to previous value')];
  } else if (before !== undefined) {
    return [invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value')];
  }
  return [];
}

/** Existing tolerations may only gain tolerationSeconds changes; new ones may be appended. */
function validateOnlyAddedTolerations(now: unknown, before: unknown): FieldError[] {
  const added = recordsOf(now);
  for (const existing of recordsOf(before)) {
    const found = added.some((t) => jsonEqual({ ...existing, tolerationSeconds: t.tolerationSeconds }, t));
    if (!found) return [forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return [];
}

function withOldImages(now: unknown, before: unknown): unknown {
  const old = arrayOf(before);
  return arrayOf(now).map((c, i) => {
    const prev = old[i];
    return isRecord(c) && isRecord(prev) ? { ...c, image: prev.image } : c;
  });
}

function validatePodSpecUpdate(spec: JsonRecord, old: JsonRecord): FieldError[] {
  const counts = [
    ...validateContainerCount(spec.containers, old.containers, 'spec.containers'),
    ...validateContainerCount(spec.initContainers, old.initContainers, 'spec.initContainers'),
  ];
  if (counts.length > 0) return counts;
  const errs = [...validateDeadlineUpdate(spec, old), ...validateOnlyAddedTolerations(spec.tolerations, old.tolerations)];
  recordsOf(spec.containers).forEach((c, i) => {
    if (stringOf(c.image) === '') errs.push(required(`spec.containers[${i}].image`));
  });
  if (jsonEqual(spec, old)) return errs;

  // Put back every field an update may change, then anything still different is forbidden.
  const munged: JsonRecord = {
    ...spec,
    containers: withOldImages(spec.containers, old.containers),
    initContainers: withOldImages(spec.initContainers, old.initContainers),
    activeDeadlineSeconds: old.activeDeadlineSeconds,
    tolerations: old.tolerations,
  };
  const oldGrace = numberOf(old.terminationGracePeriodSeconds);
  if (oldGrace !== undefined && oldGrace < 0 && spec.terminationGracePeriodSeconds === 1)
    munged.terminationGracePeriodSeconds = oldGrace;
  if (!jsonEqual(munged, old)) {
    const diff = describeJsonDiff(old, munged, 'spec');
    errs.push(forbidden('spec', [POD_UPDATE_FORBIDDEN_MESSAGE, ...diff].join('\n')));
  }
  return errs;
}

// ObjectMeta validation shared by every kind (upstream: apimachinery/pkg/api/validation/objectmeta.go).
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { forbidden, invalid, required, tooLong, type FieldError } from '../field-error.js';
import { arrayOf, isRecord, jsonEqual, recordsOf, stringMapOf, stringOf } from './json-access.js';
import {
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  maskTrailingDash,
} from './name-rules.js';

export type NameRule = 'dns1123Subdomain' | 'dns1123Label' | 'dns1035Label' | 'pathSegment';

export interface ObjectMetaRules {
  readonly namespaced: boolean;
  readonly nameRule: NameRule;
}

/** Upstream's TotalAnnotationSizeLimitB: keys plus values, 256 KiB. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export const FIELD_IMMUTABLE = 'field is immutable';

const NAME_RULES: Readonly<Record<NameRule, (value: string) => string[]>> = {
  dns1123Subdomain: isDns1123Subdomain,
  dns1123Label: isDns1123Label,
  dns1035Label: isDns1035Label,
  pathSegment: isValidPathSegmentName,
};

/** Problems with a name under one of upstream's name rules (`prefix` for generateName). */
export function validateName(rule: NameRule, name: string, prefix = false): string[] {
  return NAME_RULES[rule](prefix ? maskTrailingDash(name) : name);
}

/** Label keys and values, reported at the map's path like upstream (not per key). */
export function validateLabels(labels: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [key, value] of Object.entries(stringMapOf(labels) ?? {})) {
    for (const msg of isQualifiedName(key)) errs.push(invalid(path, key, msg));
    for (const msg of isValidLabelValue(value)) errs.push(invalid(path, value, msg));
  }
  if (isRecord(labels)) {
    for (const [key, value] of Object.entries(labels))
      if (typeof value !== 'string') errs.push(invalid(path, value ?? null, `label ${JSON.stringify(key)} must be a string`));
  }
  return errs;
}

export function validateAnnotations(annotations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const map = stringMapOf(annotations) ?? {};
  let total = 0;
  for (const [key, value] of Object.entries(map)) {
    for (const msg of isQualifiedName(key.toLowerCase())) errs.push(invalid(path, key, msg));
    total += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

/** `apps/v1` -> version `v1`; `v1` -> `v1`; anything with two slashes has no version. */
function versionOf(apiVersion: string): string {
  const parts = apiVersion.split('/');
  if (parts.length === 1) return parts[0] ?? '';
  if (parts.length === 2) return parts[1] ?? '';
  return '';
}

export function validateOwnerReferences(refs: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController: { kind: string; name: string } | undefined;
  for (const ref of recordsOf(refs)) {
    const apiVersion = stringOf(ref.apiVersion);
    const kind = stringOf(ref.kind);
    const name = stringOf(ref.name);
    if (versionOf(apiVersion) === '') errs.push(invalid(`${path}.apiVersion`, apiVersion, 'version must not be empty'));
    if (kind === '') errs.push(invalid(`${path}.kind`, kind, 'kind must not be empty'));
    if (name === '') errs.push(invalid(`${path}.name`, name, 'name must not be empty'));
    if (stringOf(ref.uid) === '') errs.push(invalid(`${path}.uid`, stringOf(ref.uid), 'uid must not be empty'));
    if (ref.controller === true) {
      if (firstController) {
        errs.push(
          invalid(
            path,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController.kind}/${firstController.name} and ${kind}/${name}`,
          ),
        );
      } else {
        firstController = { kind, name };
      }
    }
  }
  return errs;
}

export function validateFinalizers(finalizers: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = arrayOf(finalizers).map(stringOf);
  for (const name of names) for (const msg of isQualifiedName(name)) errs.push(invalid(path, name, msg));
  if (names.includes('orphan') && names.includes('foregroundDeletion'))
    errs.push(invalid(path, names, 'finalizer orphan and foregroundDeletion cannot be both set'));
  return errs;
}

function nonNegativeGeneration(meta: ObjectMeta, errs: FieldError[]): void {
  if (typeof meta.generation === 'number' && meta.generation < 0)
    errs.push(invalid('metadata.generation', meta.generation, 'must be greater than or equal to 0'));
}

/**
 * Validates `metadata` on create, or on update when `old` is given (then name, namespace, uid
 * and creationTimestamp are immutable). The registry has already filled a generated name, so a
 * missing name is an error here.
 */
export function validateObjectMeta(meta: unknown, rules: ObjectMetaRules, old?: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const m: ObjectMeta = isRecord(meta) ? (meta) : {};
  const name = stringOf(m.name);
  const generateName = stringOf(m.generateName);
  if (generateName !== '')
    for (const msg of validateName(rules.nameRule, generateName, true)) errs.push(invalid('metadata.generateName', generateName, msg));
  if (name === '') errs.push(required('metadata.name', 'name or generateName is required'));
  else for (const msg of validateName(rules.nameRule, name)) errs.push(invalid('metadata.name', name, msg));

  const namespace = stringOf(m.namespace);
  if (rules.namespaced) {
    if (namespace === '') errs.push(required('metadata.namespace'));
    else for (const msg of isDns1123Label(namespace)) errs.push(invalid('metadata.namespace', namespace, msg));
  } else if (namespace !== '') {
    errs.push(forbidden('metadata.namespace', 'not allowed on this type'));
  }
  nonNegativeGeneration(m, errs);
  errs.push(...validateLabels(m.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(m.annotations, 'metadata.annotations'));
  errs.push(...validateOwnerReferences(m.ownerReferences, 'metadata.ownerReferences'));
  errs.push(...validateFinalizers(m.finalizers, 'metadata.finalizers'));
  if (old !== undefined) errs.push(...validateObjectMetaUpdate(m, isRecord(old) ? (old) : {}));
  return errs;
}

function validateObjectMetaUpdate(meta: ObjectMeta, old: ObjectMeta): FieldError[] {
  const errs: FieldError[] = [];
  if (old.deletionTimestamp) {
    const before = new Set(arrayOf(old.finalizers).map(stringOf));
    const added = arrayOf(meta.finalizers).map(stringOf).filter((f) => !before.has(f));
    if (added.length > 0)
      errs.push(
        forbidden(
          'metadata.finalizers',
          `no new finalizers can be added if the object is being deleted, found new finalizers ${goQuotedList(added)}`,
        ),
      );
  }
  if (typeof meta.generation === 'number' && typeof old.generation === 'number' && meta.generation < old.generation)
    errs.push(invalid('metadata.generation', meta.generation, 'must not be decremented'));
  for (const key of ['name', 'namespace', 'uid', 'creationTimestamp'] as const) {
    const now = meta[key] ?? '';
    // Upstream's BeforeUpdate copies uid and creationTimestamp from the stored object when the
    // client left them out, so only a different non-empty value is a change.
    if ((key === 'uid' || key === 'creationTimestamp') && now === '') continue;
    const before = old[key] ?? '';
    if (!jsonEqual(now, before)) errs.push(invalid(`metadata.${key}`, now, FIELD_IMMUTABLE));
  }
  return errs;
}

/** Go's %q of a []string: `["a" "b"]`. */
function goQuotedList(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}

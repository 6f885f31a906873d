// Validation of the reference shapes the Gateway API kinds share (ParentReference,
// BackendObjectReference, SecretObjectReference, RouteGroupKind), per the CRD schemas.
import type { FieldError } from '../field-error.js';
import type { JsonRecord } from '../validation/json-access.js';
import {
  checkRange, checkString, GROUP_PATTERN, KIND_PATTERN, NAMESPACE_PATTERN, ruleError, SECTION_NAME_PATTERN,
} from './schema-errors.js';

export function validateGroupKind(errs: FieldError[], path: string, ref: JsonRecord, options: { groupRequired?: boolean } = {}): void {
  checkString(errs, `${path}.group`, ref.group, { max: 253, pattern: GROUP_PATTERN, required: options.groupRequired === true });
  checkString(errs, `${path}.kind`, ref.kind, { min: 1, max: 63, pattern: KIND_PATTERN, required: true });
}

/** group/kind (after defaulting), name, namespace: the common part of every object reference. */
export function validateObjectRef(errs: FieldError[], path: string, ref: JsonRecord): void {
  validateGroupKind(errs, path, ref);
  checkString(errs, `${path}.name`, ref.name, { min: 1, max: 253, required: true });
  checkString(errs, `${path}.namespace`, ref.namespace, { min: 1, max: 63, pattern: NAMESPACE_PATTERN });
}

export function validateParentRef(errs: FieldError[], path: string, ref: JsonRecord): void {
  validateObjectRef(errs, path, ref);
  checkString(errs, `${path}.sectionName`, ref.sectionName, { min: 1, max: 253, pattern: SECTION_NAME_PATTERN });
  checkRange(errs, `${path}.port`, ref.port, 1, 65535);
}

/** A backend reference; a core Service must name a port (upstream's CEL rule). */
export function validateBackendObjectRef(errs: FieldError[], path: string, ref: JsonRecord): void {
  validateObjectRef(errs, path, ref);
  checkRange(errs, `${path}.port`, ref.port, 1, 65535);
  if (ref.group === '' && ref.kind === 'Service' && (ref.port === undefined || ref.port === null))
    errs.push(ruleError(path, 'object', 'Must have port for Service reference'));
}

/** Whether two parentRefs name the same parent (group, kind, name, namespace; '' = unset namespace). */
function sameParent(a: JsonRecord, b: JsonRecord): boolean {
  const ns = (r: JsonRecord): unknown => (r.namespace === undefined || r.namespace === '' ? '' : r.namespace);
  return a.group === b.group && a.kind === b.kind && a.name === b.name && ns(a) === ns(b);
}

/**
 * The two CEL rules on spec.parentRefs: several refs to one parent must all name a sectionName or
 * all not, and no two may name the same one (the route would attach twice to one listener).
 */
export function validateParentRefSet(errs: FieldError[], path: string, refs: readonly JsonRecord[]): void {
  let missing = false;
  let repeated = false;
  refs.forEach((a, i) => {
    refs.forEach((b, j) => {
      if (i === j || !sameParent(a, b)) return;
      const aSection = a.sectionName ?? '';
      const bSection = b.sectionName ?? '';
      // Mixed set/unset breaks the first rule; equal sections (both unset included) the second.
      if ((aSection === '') !== (bSection === '')) missing = true;
      else if (aSection === bSection) repeated = true;
    });
  });
  if (missing) errs.push(ruleError(path, 'array', 'sectionName must be specified when parentRefs includes 2 or more references to the same parent'));
  if (repeated) errs.push(ruleError(path, 'array', 'sectionName must be unique when parentRefs includes 2 or more references to the same parent'));
}

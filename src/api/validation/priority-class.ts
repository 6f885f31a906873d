// scheduling.k8s.io/v1 PriorityClass validation (upstream ValidatePriorityClass and
// ValidatePriorityClassUpdate in pkg/apis/scheduling/validation). Names starting with `system-`
// belong to the two built-in classes, with exactly their values; a user class may not go above
// 1,000,000,000 (so no user pod outranks the system-critical ones). value and preemptionPolicy
// never change after creation (pods already copied them).
import { forbidden, invalid, notSupported, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { jsonEqual, numberOf } from './json-access.js';
import { validateObjectMeta } from './object-meta.js';

export const SYSTEM_PRIORITY_CLASS_PREFIX = 'system-';
/** Upstream HighestUserDefinablePriority. */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
/** Upstream SystemCriticalPriority: the built-in classes sit at and just above it. */
export const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;

export interface SystemPriorityClass {
  readonly name: string;
  readonly value: number;
  readonly description: string;
}

/** The classes every cluster has from the start (upstream SystemPriorityClasses()). */
export const SYSTEM_PRIORITY_CLASSES: readonly SystemPriorityClass[] = [
  {
    name: 'system-node-critical',
    value: SYSTEM_CRITICAL_PRIORITY + 1000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    name: 'system-cluster-critical',
    value: SYSTEM_CRITICAL_PRIORITY,
    description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];

export const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

/** Why a system- name is not acceptable, or undefined when it is one of the built-ins as they are. */
function systemClassProblem(name: string, value: unknown, globalDefault: unknown): string | undefined {
  const known = SYSTEM_PRIORITY_CLASSES.find((c) => c.name === name);
  if (!known) return `${name} is not a known system priority class`;
  if (value !== known.value) return `value of ${name} PriorityClass must be ${known.value}`;
  if (globalDefault === true) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

export function validatePreemptionPolicy(policy: unknown, path: string): FieldError[] {
  if (policy === undefined || policy === null) return [];
  return typeof policy === 'string' && PREEMPTION_POLICIES.includes(policy) ? [] : [notSupported(path, policy, PREEMPTION_POLICIES)];
}

export function validatePriorityClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: false, nameRule: 'dns1123Subdomain' }, old?.metadata);
  const value = obj['value'];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
    errs.push(invalid('value', value ?? null, 'must be a 32-bit integer'));
  }
  if (old) {
    if (numberOf(old['value']) !== numberOf(value)) errs.push(forbidden('value', 'may not be changed in an update.'));
    if (!jsonEqual(old['preemptionPolicy'] ?? null, obj['preemptionPolicy'] ?? null)) {
      errs.push(invalid('preemptionPolicy', obj['preemptionPolicy'] ?? null, 'field is immutable'));
    }
    return errs;
  }
  const name = obj.metadata?.name ?? '';
  if (name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
    const problem = systemClassProblem(name, value, obj['globalDefault']);
    if (problem) {
      errs.push(forbidden('metadata.name', `priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${problem}`));
    }
  } else if (typeof value === 'number' && value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  errs.push(...validatePreemptionPolicy(obj['preemptionPolicy'], 'preemptionPolicy'));
  return errs;
}

// An HPA's scaling behavior (upstream: validateBehavior in pkg/apis/autoscaling/validation, 1.32):
// each direction's rules, when given, need at least one policy; windows and periods are bounded.
import { invalid, notSupported, required, type FieldError } from '../field-error.js';
import { isNil, numberOf, recordOf, recordsOf, stringOf, type JsonRecord } from './json-access.js';

/** Upstream's MaxPeriodSeconds: a policy looks back at most 30 minutes. */
export const MAX_PERIOD_SECONDS = 1800;
/** Upstream's MaxStabilizationWindowSeconds: one hour. */
export const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

/** Sorted, as upstream's sets.String lists them in the message. */
const SELECT_POLICIES = ['Disabled', 'Max', 'Min'];
const POLICY_TYPES = ['Percent', 'Pods'];

export function validateBehavior(behavior: unknown, path: string): FieldError[] {
  const rules = recordOf(behavior);
  if (rules === undefined) return [];
  return [...validateScalingRules(rules.scaleUp, `${path}.scaleUp`), ...validateScalingRules(rules.scaleDown, `${path}.scaleDown`)];
}

function validateScalingRules(value: unknown, path: string): FieldError[] {
  const rules = recordOf(value);
  if (rules === undefined) return [];
  const errs: FieldError[] = [];
  const window = numberOf(rules.stabilizationWindowSeconds);
  if (window !== undefined && window < 0)
    errs.push(invalid(`${path}.stabilizationWindowSeconds`, window, 'must be greater than or equal to zero'));
  if (window !== undefined && window > MAX_STABILIZATION_WINDOW_SECONDS)
    errs.push(invalid(`${path}.stabilizationWindowSeconds`, window, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  if (!isNil(rules.selectPolicy) && !SELECT_POLICIES.includes(stringOf(rules.selectPolicy)))
    errs.push(notSupported(`${path}.selectPolicy`, rules.selectPolicy, SELECT_POLICIES));
  const policies = recordsOf(rules.policies);
  if (policies.length === 0) errs.push(required(`${path}.policies`, 'must specify at least one Policy'));
  policies.forEach((policy, i) => errs.push(...validateScalingPolicy(policy, `${path}.policies[${i}]`)));
  return errs;
}

function validateScalingPolicy(policy: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = stringOf(policy.type);
  if (!POLICY_TYPES.includes(type)) errs.push(notSupported(`${path}.type`, type, POLICY_TYPES));
  // Plain int32s upstream: a missing value is a zero.
  const value = numberOf(policy.value) ?? 0;
  if (value <= 0) errs.push(invalid(`${path}.value`, value, 'must be greater than zero'));
  const period = numberOf(policy.periodSeconds) ?? 0;
  if (period <= 0) errs.push(invalid(`${path}.periodSeconds`, period, 'must be greater than zero'));
  if (period > MAX_PERIOD_SECONDS) errs.push(invalid(`${path}.periodSeconds`, period, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
  return errs;
}

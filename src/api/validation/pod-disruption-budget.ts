// policy/v1 PodDisruptionBudget validation (upstream: ValidatePodDisruptionBudget and
// ValidatePodDisruptionBudgetStatusUpdate in pkg/apis/policy/validation). Spec updates are
// allowed (since 1.15); the selector is optional (in policy/v1 a missing selector matches no pod,
// an empty one every pod in the namespace).
import { invalid, notSupported, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { goIntOrString, invalidRendered } from './go-value.js';
import { validateIntOrPercent, validateNotMoreThan100Percent } from './int-or-percent.js';
import { numberOf, recordOf, recordsOf } from './json-access.js';
import { validateLabelSelector } from './label-selector.js';
import { validateObjectMeta } from './object-meta.js';

const UNHEALTHY_POD_EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];
const STATUS_COUNTERS = ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'] as const;

function validateSpec(spec: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const { minAvailable, maxUnavailable } = spec;
  if (minAvailable !== undefined && minAvailable !== null && maxUnavailable !== undefined && maxUnavailable !== null) {
    // Upstream passes the *IntOrString, which field errors print as the Go struct.
    errs.push(invalidRendered('spec.minAvailable', goIntOrString(minAvailable), 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const [name, value] of [['minAvailable', minAvailable], ['maxUnavailable', maxUnavailable]] as const) {
    if (value === undefined || value === null) continue;
    errs.push(...validateIntOrPercent(value, `spec.${name}`), ...validateNotMoreThan100Percent(value, `spec.${name}`));
  }
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && policy !== null && !(typeof policy === 'string' && UNHEALTHY_POD_EVICTION_POLICIES.includes(policy))) {
    errs.push(notSupported('spec.unhealthyPodEvictionPolicy', policy, UNHEALTHY_POD_EVICTION_POLICIES));
  }
  return errs;
}

function validateStatus(status: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  for (const name of STATUS_COUNTERS) {
    const value = numberOf(status[name]);
    if (value !== undefined && value < 0) errs.push(invalid(`status.${name}`, value, 'must be greater than or equal to 0'));
  }
  recordsOf(status.conditions).forEach((condition, i) => {
    const type = condition.type;
    if (typeof type !== 'string' || type === '') errs.push(invalid(`status.conditions[${i}].type`, type ?? '', 'must not be empty'));
  });
  return errs;
}

export function validatePodDisruptionBudget(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata);
  errs.push(...validateSpec(recordOf(obj.spec) ?? {}));
  errs.push(...validateStatus(recordOf(obj.status) ?? {}));
  return errs;
}

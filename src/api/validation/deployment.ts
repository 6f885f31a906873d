// apps/v1 Deployment validation (upstream: ValidateDeployment, ValidateDeploymentUpdate and the
// apps/v1 strategy's immutable selector).
import { forbidden, invalid, notSupported, required, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { goIntOrString, goLabelSelector, invalidRendered } from './go-value.js';
import { intOrPercentValue, validateIntOrPercent, validateNotMoreThan100Percent } from './int-or-percent.js';
import { isRecord, jsonEqual, numberOf, recordOf, stringOf } from './json-access.js';
import { FIELD_IMMUTABLE, validateObjectMeta } from './object-meta.js';
import { validateNonNegative } from './probe.js';
import { validateSelectorAndTemplate } from './replica-template.js';

function validateStrategy(strategyValue: unknown, path: string): FieldError[] {
  const strategy = recordOf(strategyValue) ?? {};
  const type = stringOf(strategy.type);
  if (type === 'Recreate') {
    return isRecord(strategy.rollingUpdate)
      ? [forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")]
      : [];
  }
  if (type === 'RollingUpdate') {
    const rolling = recordOf(strategy.rollingUpdate);
    if (!rolling) return [required(`${path}.rollingUpdate`, 'this should be defaulted and never be nil')];
    const errs = [
      ...validateIntOrPercent(rolling.maxUnavailable, `${path}.rollingUpdate.maxUnavailable`),
      ...validateIntOrPercent(rolling.maxSurge, `${path}.rollingUpdate.maxSurge`),
    ];
    if (intOrPercentValue(rolling.maxUnavailable)?.value === 0 && intOrPercentValue(rolling.maxSurge)?.value === 0)
      errs.push(
        invalidRendered(`${path}.rollingUpdate.maxUnavailable`, goIntOrString(rolling.maxUnavailable), 'may not be 0 when `maxSurge` is 0'),
      );
    errs.push(...validateNotMoreThan100Percent(rolling.maxUnavailable, `${path}.rollingUpdate.maxUnavailable`));
    return errs;
  }
  // Upstream prints the whole strategy struct here; the type is what users need to see.
  return [notSupported(path, type, ['Recreate', 'RollingUpdate'])];
}

function validateDeploymentSpec(specValue: unknown): FieldError[] {
  const spec = recordOf(specValue) ?? {};
  const errs = validateNonNegative(spec.replicas, 'spec.replicas');
  errs.push(...validateSelectorAndTemplate(spec.selector, spec.template, 'spec'));
  errs.push(...validateStrategy(spec.strategy, 'spec.strategy'));
  errs.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  const deadline = numberOf(spec.progressDeadlineSeconds);
  if (deadline !== undefined) {
    errs.push(...validateNonNegative(deadline, 'spec.progressDeadlineSeconds'));
    if (deadline <= (numberOf(spec.minReadySeconds) ?? 0))
      errs.push(invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'));
  }
  return errs;
}

export function validateDeployment(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata);
  errs.push(...validateDeploymentSpec(obj.spec));
  if (old !== undefined) errs.push(...validateImmutableSelector(obj, old));
  return errs;
}

/** apps/v1 forbids changing spec.selector after creation. Shared with ReplicaSets. */
export function validateImmutableSelector(obj: KubeObject, old: KubeObject): FieldError[] {
  const selector = recordOf(obj.spec)?.selector;
  const before = recordOf(old.spec)?.selector;
  return jsonEqual(selector, before) ? [] : [invalidRendered('spec.selector', goLabelSelector(selector), FIELD_IMMUTABLE)];
}

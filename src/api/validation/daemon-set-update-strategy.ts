// A DaemonSet's updateStrategy (upstream: ValidateDaemonSetUpdateStrategy and
// ValidateRollingUpdateDaemonSet). A rolling update either stops old pods first (maxUnavailable)
// or starts new ones beside them (maxSurge), never both, and must do one of them: on 10 nodes,
// maxUnavailable 2 replaces the pods of two nodes at a time, leaving those nodes briefly without
// one; maxSurge 2 starts the new pod on two nodes while the old one still runs there; with both 0
// the update could never make progress.
import { notSupported, required, type FieldError } from '../field-error.js';
import { goIntOrString, invalidRendered } from './go-value.js';
import { intOrPercentValue, validateIntOrPercent, validateNotMoreThan100Percent } from './int-or-percent.js';
import { recordOf, stringOf } from './json-access.js';

export function validateDaemonSetUpdateStrategy(strategyValue: unknown, path: string): FieldError[] {
  const strategy = recordOf(strategyValue) ?? {};
  const type = stringOf(strategy.type);
  if (type === 'OnDelete') return [];
  if (type !== 'RollingUpdate') return [notSupported(path, type, ['RollingUpdate', 'OnDelete'])];
  const rollingUpdate = recordOf(strategy.rollingUpdate);
  if (rollingUpdate === undefined) return [required(`${path}.rollingUpdate`)];
  return validateRollingUpdate(rollingUpdate.maxUnavailable, rollingUpdate.maxSurge, `${path}.rollingUpdate`);
}

function validateRollingUpdate(maxUnavailable: unknown, maxSurge: unknown, path: string): FieldError[] {
  const errs = [
    ...validateIntOrPercent(maxUnavailable, `${path}.maxUnavailable`),
    ...validateIntOrPercent(maxSurge, `${path}.maxSurge`),
    ...validateNotMoreThan100Percent(maxUnavailable, `${path}.maxUnavailable`),
    ...validateNotMoreThan100Percent(maxSurge, `${path}.maxSurge`),
  ];
  // Upstream counts a value that is not a valid int or percentage as 0 here.
  const hasUnavailable = (intOrPercentValue(maxUnavailable)?.value ?? 0) !== 0;
  const hasSurge = (intOrPercentValue(maxSurge)?.value ?? 0) !== 0;
  if (hasUnavailable && hasSurge)
    errs.push(invalidRendered(`${path}.maxSurge`, goIntOrString(maxSurge), 'may not be set when maxUnavailable is non-zero'));
  if (!hasUnavailable && !hasSurge) errs.push(required(`${path}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  return errs;
}

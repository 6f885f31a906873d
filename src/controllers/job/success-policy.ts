// spec.successPolicy of an Indexed Job (upstream: success_policy.go, JobSuccessPolicy is beta and on
// in 1.32): the Job succeeds early when one rule is met. A rule names succeededIndexes, a
// succeededCount, or both:
//   - indexes only: every listed index has succeeded;
//   - count only: at least that many indexes have succeeded;
//   - both: at least `count` of the listed indexes have succeeded.
// Example: rule {succeededIndexes: "0,2-4", succeededCount: 2}, succeeded "1-2,4" -> 2 and 4 of the
// listed ones succeeded: met.
import type { SuccessPolicy } from 'kubernetes-types/batch/v1.js';
import { parseIndexIntervals, totalIndexes, type IndexIntervals } from './index-intervals.js';

/** The SuccessCriteriaMet message when a rule is met ("Matched rules at index 0"), else undefined. */
export function matchSuccessPolicy(policy: SuccessPolicy | undefined, completions: number, succeeded: IndexIntervals): string | undefined {
  if (policy === undefined || succeeded.length === 0) return undefined;
  for (const [index, rule] of policy.rules.entries()) {
    if (rule.succeededIndexes !== undefined) {
      const required = parseIndexIntervals(rule.succeededIndexes, completions);
      // A rule whose indexes do not parse (or are all out of range) can never be met.
      if (required.length === 0) continue;
      const matched = overlapCount(required, succeeded);
      if (matched === totalIndexes(required) || (rule.succeededCount !== undefined && matched >= rule.succeededCount)) {
        return `Matched rules at index ${index}`;
      }
    } else if (rule.succeededCount !== undefined && totalIndexes(succeeded) >= rule.succeededCount) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}

/** How many indexes two interval lists share. */
function overlapCount(a: IndexIntervals, b: IndexIntervals): number {
  let count = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x === undefined || y === undefined) break;
    count += Math.max(0, Math.min(x.last, y.last) - Math.max(x.first, y.first) + 1);
    if (y.last < x.last) j++;
    else if (y.last > x.last) i++;
    else {
      i++;
      j++;
    }
  }
  return count;
}

// Label selectors: the `?labelSelector=` string form and the LabelSelector API object
// (Deployment.spec.selector, ...), both turned into one parsed shape that can match labels and be
// printed back in upstream's canonical string form (Scale.status.selector, the SELECTOR column).
//
// Two special selectors matter and differ: an EMPTY selector (`''`, `{}`) matches everything, a
// NULL selector object (spec.selector absent) matches nothing. `matchesNothing` tells them apart.
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { BadRequestError } from '../../lib/errors.js';
import {
  aggregateMessage,
  requirementErrors,
  requirementMatches,
  requirementToString,
  type LabelOperator,
  type LabelRequirement,
} from './label-requirement.js';
import { parseLabelRequirements } from './label-selector-parser.js';

export type { LabelOperator, LabelRequirement } from './label-requirement.js';
export type { LabelSelector };

export interface LabelSelectorRequirementSet {
  /** ANDed, sorted by key. Empty (with matchesNothing false) selects everything. */
  readonly requirements: readonly LabelRequirement[];
  /** True only for the selector of a null LabelSelector object: it selects nothing at all. */
  readonly matchesNothing: boolean;
}

export const EVERYTHING_LABEL_SELECTOR: LabelSelectorRequirementSet = Object.freeze({
  requirements: Object.freeze([]),
  matchesNothing: false,
});

export const NOTHING_LABEL_SELECTOR: LabelSelectorRequirementSet = Object.freeze({
  requirements: Object.freeze([]),
  matchesNothing: true,
});

/** Whether the selector restricts nothing (so a list can skip matching altogether). */
export function selectsEverything(selector: LabelSelectorRequirementSet): boolean {
  return !selector.matchesNothing && selector.requirements.length === 0;
}

/**
 * Parses `app=web,tier in (a,b),!canary,env` (also `==`, `!=`, `notin`, `>`/`<` on integers).
 * '' selects everything. Invalid input throws BadRequestError with upstream's wording, e.g.
 * `unable to parse requirement: found '', expected: identifier`.
 */
export function parseLabelSelector(text: string): LabelSelectorRequirementSet {
  const requirements = parseLabelRequirements(text);
  return requirements.length ? { requirements, matchesNothing: false } : EVERYTHING_LABEL_SELECTOR;
}

export function matchesLabels(selector: LabelSelectorRequirementSet, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (selector.matchesNothing) return false;
  return selector.requirements.every((r) => requirementMatches(r, labels));
}

const EXPRESSION_OPERATORS: Readonly<Record<string, LabelOperator>> = {
  In: 'In',
  NotIn: 'NotIn',
  Exists: 'Exists',
  DoesNotExist: 'DoesNotExist',
};

/**
 * The selector a LabelSelector object stands for (upstream's LabelSelectorAsSelector): null or
 * undefined selects nothing; `{}` selects everything; otherwise matchLabels (as `key=value`) and
 * matchExpressions ANDed, sorted by key. An invalid object throws BadRequestError.
 */
export function labelSelectorFromObject(selector: LabelSelector | null | undefined): LabelSelectorRequirementSet {
  if (selector === null || selector === undefined) return NOTHING_LABEL_SELECTOR;
  const requirements: LabelRequirement[] = [];
  const errors: string[] = [];
  const add = (key: string, operator: LabelOperator, values: readonly string[]): void => {
    const problems = requirementErrors(key, operator, values);
    if (problems.length) errors.push(aggregateMessage(problems));
    else requirements.push({ key, operator, values: [...values] });
  };
  for (const key of Object.keys(selector.matchLabels ?? {}).sort()) {
    add(key, 'Equals', [selector.matchLabels?.[key] ?? '']);
  }
  for (const expression of selector.matchExpressions ?? []) {
    const operator = EXPRESSION_OPERATORS[expression.operator];
    if (!operator) throw new BadRequestError(`${JSON.stringify(expression.operator)} is not a valid label selector operator`);
    add(expression.key, operator, expression.values ?? []);
    // Upstream stops at the first bad requirement; so do we.
    if (errors.length) break;
  }
  if (errors.length) throw new BadRequestError(errors[0] ?? 'invalid label selector');
  if (requirements.length === 0) return EVERYTHING_LABEL_SELECTOR;
  // Stable, so equal keys keep matchLabels before matchExpressions, in their given order.
  requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { requirements, matchesNothing: false };
}

/** Upstream's Selector.String(): requirements joined by ','; '' for everything and for nothing. */
export function labelSelectorToString(selector: LabelSelectorRequirementSet): string {
  return selector.requirements.map(requirementToString).join(',');
}

/**
 * The string form of a LabelSelector object, as in Scale.status.selector and the Deployment
 * SELECTOR column: `app=web,tier in (a,b)`. '' for an empty or null selector. Throws
 * BadRequestError for an invalid one (printers show `<invalid>` / `<error>` instead).
 */
export function formatLabelSelector(selector: LabelSelector | null | undefined): string {
  return labelSelectorToString(labelSelectorFromObject(selector));
}

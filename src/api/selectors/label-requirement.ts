// One label requirement (`app=web`, `tier in (a,b)`, `!canary`): construction with upstream's
// validation (labels.NewRequirement), matching, and the canonical string form.
import { isQualifiedName as labelKeyErrors, isValidLabelValue as labelValueErrors } from '../validation/name-rules.js';

export type LabelOperator =
  | 'In'
  | 'NotIn'
  | 'Equals'
  | 'DoubleEquals'
  | 'NotEquals'
  | 'GreaterThan'
  | 'LessThan'
  | 'Exists'
  | 'DoesNotExist';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** In/NotIn: one or more; Equals/DoubleEquals/NotEquals/GreaterThan/LessThan: exactly one; Exists/DoesNotExist: none. */
  readonly values: readonly string[];
}

/** Upstream's spelling of each operator in error messages (selection.Operator values). */
export const OPERATOR_TOKENS: Readonly<Record<LabelOperator, string>> = {
  In: 'in',
  NotIn: 'notin',
  Equals: '=',
  DoubleEquals: '==',
  NotEquals: '!=',
  GreaterThan: 'gt',
  LessThan: 'lt',
  Exists: 'exists',
  DoesNotExist: '!',
};

/** Go's `%#v` of a []string, which upstream prints for whole value lists. */
function goStringSlice(values: readonly string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

function fieldInvalid(path: string, shownValue: string, detail: string): string {
  return `${path}: Invalid value: ${shownValue}: ${detail}`;
}

/** field.ErrorList.ToAggregate().Error(): one message bare, several in brackets. */
export function aggregateMessage(messages: readonly string[]): string {
  return messages.length === 1 ? (messages[0] ?? '') : `[${messages.join(', ')}]`;
}

/** Error messages for a label key, as field errors at `path` (`<nil>` when parsing a string). */
export function keyFieldErrors(key: string, path: string): string[] {
  const errors = labelKeyErrors(key);
  return errors.length ? [fieldInvalid(path, JSON.stringify(key), errors.join('; '))] : [];
}

const INTEGER = /^[+-]?\d+$/;

/**
 * Validates like upstream's NewRequirement and returns the problems (empty when valid).
 * `path` prefixes the field paths (`key`, `values[0][app]`); '' means the root.
 */
export function requirementErrors(key: string, operator: LabelOperator, values: readonly string[], path = ''): string[] {
  const child = (name: string): string => (path ? `${path}.${name}` : name);
  const errors = keyFieldErrors(key, child('key'));
  const valuesPath = child('values');
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) {
        errors.push(fieldInvalid(valuesPath, goStringSlice(values), "for 'in', 'notin' operators, values set can't be empty"));
      }
      break;
    case 'Equals':
    case 'DoubleEquals':
    case 'NotEquals':
      if (values.length !== 1) {
        errors.push(fieldInvalid(valuesPath, goStringSlice(values), 'exact-match compatibility requires one single value'));
      }
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) {
        errors.push(fieldInvalid(valuesPath, goStringSlice(values), 'values set must be empty for exists and does not exist'));
      }
      break;
    case 'GreaterThan':
    case 'LessThan':
      if (values.length !== 1) {
        errors.push(fieldInvalid(valuesPath, goStringSlice(values), "for 'Gt', 'Lt' operators, exactly one value is required"));
      }
      values.forEach((v, i) => {
        if (!INTEGER.test(v)) {
          errors.push(fieldInvalid(`${valuesPath}[${i}]`, JSON.stringify(v), "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      });
      break;
  }
  values.forEach((v, i) => {
    const problems = labelValueErrors(v);
    if (problems.length) errors.push(fieldInvalid(`${valuesPath}[${i}][${key}]`, JSON.stringify(v), problems.join('; ')));
  });
  return errors;
}

export function requirementMatches(requirement: LabelRequirement, labels: Readonly<Record<string, string>> | undefined): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, requirement.key);
  const value = has ? labels[requirement.key] : undefined;
  switch (requirement.operator) {
    case 'In':
    case 'Equals':
    case 'DoubleEquals':
      return value !== undefined && requirement.values.includes(value);
    case 'NotIn':
    case 'NotEquals':
      return value === undefined || !requirement.values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'GreaterThan':
    case 'LessThan': {
      const wanted = requirement.values[0];
      if (value === undefined || wanted === undefined || !INTEGER.test(value) || !INTEGER.test(wanted)) return false;
      const actual = BigInt(value);
      const bound = BigInt(wanted);
      return requirement.operator === 'GreaterThan' ? actual > bound : actual < bound;
    }
  }
}

const STRING_OPERATORS: Readonly<Record<LabelOperator, string>> = {
  In: ' in ',
  NotIn: ' notin ',
  Equals: '=',
  DoubleEquals: '==',
  NotEquals: '!=',
  GreaterThan: '>',
  LessThan: '<',
  Exists: '',
  DoesNotExist: '',
};

/** Upstream's Requirement.String(): `!key`, `key`, `key=v`, `key in (a,b)` (values sorted). */
export function requirementToString(requirement: LabelRequirement): string {
  const { key, operator } = requirement;
  if (operator === 'DoesNotExist') return `!${key}`;
  if (operator === 'Exists') return key;
  const values = [...requirement.values].sort().join(',');
  const body = `${key}${STRING_OPERATORS[operator]}`;
  return operator === 'In' || operator === 'NotIn' ? `${body}(${values})` : `${body}${values}`;
}

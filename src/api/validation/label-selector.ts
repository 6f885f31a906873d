// metav1.LabelSelector validation (apimachinery/pkg/apis/meta/v1/validation) and the one question
// workload validation asks of a selector: does it match the template's labels?
// (Full selector parsing and matching for list calls lives in src/api/selectors/.)
import { forbidden, invalid, required, type FieldError } from '../field-error.js';
import { arrayOf, isRecord, recordsOf, stringMapOf, stringOf } from './json-access.js';
import { labelSelectorFromObject, matchesLabels } from '../selectors/label-selector.js';
import { validateLabels } from './object-meta.js';
import { isQualifiedName, isValidLabelValue } from './name-rules.js';

export function validateLabelSelector(selector: unknown, path: string): FieldError[] {
  if (!isRecord(selector)) return [];
  const errs = validateLabels(selector.matchLabels, `${path}.matchLabels`);
  recordsOf(selector.matchExpressions).forEach((req, i) => {
    const reqPath = `${path}.matchExpressions[${i}]`;
    const operator = stringOf(req.operator);
    const values = arrayOf(req.values);
    switch (operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0)
          errs.push(required(`${reqPath}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0)
          errs.push(forbidden(`${reqPath}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(invalid(`${reqPath}.operator`, operator, 'not a valid selector operator'));
    }
    const key = stringOf(req.key);
    for (const msg of isQualifiedName(key)) errs.push(invalid(`${reqPath}.key`, key, msg));
    values.forEach((value, j) => {
      for (const msg of isValidLabelValue(stringOf(value))) errs.push(invalid(`${reqPath}.values[${j}]`, value, msg));
    });
  });
  return errs;
}

/** Whether the selector has no requirements (an empty selector matches everything). */
export function isEmptySelector(selector: unknown): boolean {
  if (!isRecord(selector)) return true;
  return Object.keys(stringMapOf(selector.matchLabels) ?? {}).length === 0 && arrayOf(selector.matchExpressions).length === 0;
}

/** Whether `labels` satisfy the selector (an invalid selector matches nothing). */
export function selectorMatchesLabels(selector: unknown, labels: Record<string, string> | undefined): boolean {
  if (!isRecord(selector)) return false;
  try {
    return matchesLabels(labelSelectorFromObject(selector), labels);
  } catch {
    return false;
  }
}

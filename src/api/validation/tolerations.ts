// Tolerations (pods) and taint effects (pods and nodes). Upstream: ValidateTolerations,
// validateTaintEffect.
import { invalid, notSupported, required, type FieldError } from '../field-error.js';
import { invalidRendered } from './go-value.js';
import { recordsOf, stringOf, type JsonRecord } from './json-access.js';
import { isQualifiedName, isValidLabelValue } from './name-rules.js';

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function validateTaintEffect(effect: string, allowEmpty: boolean, path: string): FieldError[] {
  if (effect === '') return allowEmpty ? [] : [required(path)];
  return TAINT_EFFECTS.includes(effect) ? [] : [notSupported(path, effect, TAINT_EFFECTS)];
}

/** The toleration as Go's %#v prints core.Toleration. */
function goToleration(t: JsonRecord): string {
  const seconds = typeof t.tolerationSeconds === 'number' ? `(*int64)(${t.tolerationSeconds})` : '(*int64)(nil)';
  const q = (v: unknown): string => JSON.stringify(stringOf(v));
  return `core.Toleration{Key:${q(t.key)}, Operator:${q(t.operator)}, Value:${q(t.value)}, Effect:${q(t.effect)}, TolerationSeconds:${seconds}}`;
}

export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  recordsOf(tolerations).forEach((toleration, i) => {
    const itemPath = `${path}[${i}]`;
    const key = stringOf(toleration.key);
    const operator = stringOf(toleration.operator);
    const effect = stringOf(toleration.effect);
    const value = stringOf(toleration.value);
    if (key !== '') for (const msg of isQualifiedName(key)) errs.push(invalid(`${itemPath}.key`, key, msg));
    if (key === '' && operator !== 'Exists')
      errs.push(
        invalid(`${itemPath}.operator`, operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'),
      );
    if (toleration.tolerationSeconds !== undefined && toleration.tolerationSeconds !== null && effect !== 'NoExecute')
      errs.push(invalid(`${itemPath}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    switch (operator) {
      case 'Equal':
      case '': {
        const msgs = isValidLabelValue(value);
        if (msgs.length > 0) errs.push(invalid(`${itemPath}.operator`, value, msgs.join(';')));
        break;
      }
      case 'Exists':
        if (value !== '')
          errs.push(invalidRendered(`${itemPath}.operator`, goToleration(toleration), "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(notSupported(`${itemPath}.operator`, operator, ['Equal', 'Exists']));
    }
    errs.push(...validateTaintEffect(effect, true, `${itemPath}.effect`));
  });
  return errs;
}

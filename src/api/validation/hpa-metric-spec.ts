// One entry of an HPA's spec.metrics (upstream: validateMetricSpec and the per-source validators in
// pkg/apis/autoscaling/validation, 1.32): a known type, exactly the source that type names, and a
// target that can be computed. Which target types a source may use is the controller's business,
// not validation's (upstream accepts `Utilization` on an Object metric here too).
import { forbidden, invalid, notSupported, required, type FieldError } from '../field-error.js';
import { QUANTITY_FORMAT_MESSAGE, tryParseQuantity } from '../quantity.js';
import { isNil, numberOf, recordOf, stringOf, type JsonRecord } from './json-access.js';
import { isDns1123Label, isValidPathSegmentName } from './name-rules.js';
import { validateContainerResourceName } from './resources.js';

/** Sorted, as upstream's sets.String lists them in the message. */
const METRIC_SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const TARGET_TYPES = ['Utilization', 'Value', 'AverageValue'];

/** Each type's source field, in the order upstream looks at them. */
const SOURCE_FIELDS: readonly { readonly field: string; readonly type: string; readonly validate: (src: JsonRecord, path: string) => FieldError[] }[] = [
  { field: 'object', type: 'Object', validate: validateObjectSource },
  { field: 'external', type: 'External', validate: validateExternalSource },
  { field: 'pods', type: 'Pods', validate: validatePodsSource },
  { field: 'resource', type: 'Resource', validate: validateResourceSource },
  { field: 'containerResource', type: 'ContainerResource', validate: validateContainerResourceSource },
];

export function validateMetricSpec(spec: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = stringOf(spec.type);
  if (type === '') errs.push(required(`${path}.type`, 'must specify a metric source type'));
  if (!METRIC_SOURCE_TYPES.includes(type)) errs.push(notSupported(`${path}.type`, type, METRIC_SOURCE_TYPES));

  const present = SOURCE_FIELDS.filter(({ field }) => !isNil(spec[field]));
  // Only the first source given is looked into; any other is an error of its own below.
  const first = present[0];
  if (first !== undefined) errs.push(...first.validate(recordOf(spec[first.field]) ?? {}, `${path}.${first.field}`));

  const expected = SOURCE_FIELDS.find((source) => source.type === type);
  if (expected === undefined) errs.push(notSupported(`${path}.type`, type, METRIC_SOURCE_TYPES));
  else if (isNil(spec[expected.field])) errs.push(required(`${path}.${expected.field}`, 'must populate information for the given metric source'));

  if (present.length > 1) {
    for (const { field } of present) {
      if (field !== expected?.field) errs.push(forbidden(`${path}.${field}`, 'must populate the given metric source only'));
    }
  }
  return errs;
}

function validateObjectSource(src: JsonRecord, path: string): FieldError[] {
  const target = recordOf(src.target) ?? {};
  const errs = [
    ...validateCrossVersionObjectReference(src.describedObject, `${path}.describedObject`),
    ...validateMetricIdentifier(src.metric, `${path}.metric`),
    ...validateMetricTarget(target, `${path}.target`),
  ];
  if (isNil(target.value) && isNil(target.averageValue))
    errs.push(required(`${path}.target.averageValue`, 'must set either a target value or averageValue'));
  return errs;
}

function validateExternalSource(src: JsonRecord, path: string): FieldError[] {
  const target = recordOf(src.target) ?? {};
  const errs = [...validateMetricIdentifier(src.metric, `${path}.metric`), ...validateMetricTarget(target, `${path}.target`)];
  if (isNil(target.value) && isNil(target.averageValue))
    errs.push(required(`${path}.target.averageValue`, 'must set either a target value for metric or a per-pod target'));
  if (!isNil(target.value) && !isNil(target.averageValue))
    errs.push(forbidden(`${path}.target.value`, 'may not set both a target value for metric and a per-pod target'));
  return errs;
}

function validatePodsSource(src: JsonRecord, path: string): FieldError[] {
  const target = recordOf(src.target) ?? {};
  const errs = [...validateMetricIdentifier(src.metric, `${path}.metric`), ...validateMetricTarget(target, `${path}.target`)];
  if (isNil(target.averageValue)) errs.push(required(`${path}.target.averageValue`, 'must specify a positive target averageValue'));
  return errs;
}

function validateResourceSource(src: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (stringOf(src.name) === '') errs.push(required(`${path}.name`, 'must specify a resource name'));
  errs.push(...validateUtilizationOrValue(recordOf(src.target) ?? {}, `${path}.target`));
  return errs;
}

function validateContainerResourceSource(src: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = stringOf(src.name);
  if (name === '') errs.push(required(`${path}.name`, 'must specify a resource name'));
  else errs.push(...validateContainerResourceName(name, `${path}.name`));
  const container = stringOf(src.container);
  if (container === '') errs.push(required(`${path}.container`, 'must specify a container'));
  else errs.push(...isDns1123Label(container).map((msg) => invalid(`${path}.container`, container, msg)));
  errs.push(...validateUtilizationOrValue(recordOf(src.target) ?? {}, `${path}.target`));
  return errs;
}

/** Resource and ContainerResource targets: a utilization or an average value, not both. */
function validateUtilizationOrValue(target: JsonRecord, path: string): FieldError[] {
  const errs = validateMetricTarget(target, path);
  if (isNil(target.averageUtilization) && isNil(target.averageValue))
    errs.push(required(`${path}.averageUtilization`, 'must set either a target raw value or a target utilization'));
  if (!isNil(target.averageUtilization) && !isNil(target.averageValue))
    errs.push(forbidden(`${path}.averageValue`, 'may not set both a target raw value and a target utilization'));
  return errs;
}

function validateMetricTarget(target: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = stringOf(target.type);
  if (type === '') errs.push(required(`${path}.type`, 'must specify a metric target type'));
  if (!TARGET_TYPES.includes(type)) errs.push(invalid(`${path}.type`, type, 'must be either Utilization, Value, or AverageValue'));
  for (const field of ['value', 'averageValue'] as const) errs.push(...validatePositiveQuantity(target[field], `${path}.${field}`));
  const utilization = numberOf(target.averageUtilization);
  if (utilization !== undefined && utilization < 1) errs.push(invalid(`${path}.averageUtilization`, utilization, 'must be greater than 0'));
  return errs;
}

/**
 * Upstream prints a bad quantity as a Go struct; the text the client sent says the same thing
 * more readably. A text that is no quantity at all fails to decode upstream, with this message.
 */
function validatePositiveQuantity(value: unknown, path: string): FieldError[] {
  if (isNil(value)) return [];
  const text = typeof value === 'number' ? String(value) : stringOf(value);
  const quantity = tryParseQuantity(value);
  if (quantity === undefined) return [invalid(path, text, QUANTITY_FORMAT_MESSAGE)];
  return quantity > 0 ? [] : [invalid(path, text, 'must be positive')];
}

function validateMetricIdentifier(value: unknown, path: string): FieldError[] {
  const name = stringOf(recordOf(value)?.name);
  if (name === '') return [required(`${path}.name`, 'must specify a metric name')];
  return isValidPathSegmentName(name).map((msg) => invalid(`${path}.name`, name, msg));
}

/** scaleTargetRef and an Object metric's describedObject: a kind and a name usable in a URL. */
export function validateCrossVersionObjectReference(value: unknown, path: string): FieldError[] {
  const ref = recordOf(value) ?? {};
  const errs: FieldError[] = [];
  for (const field of ['kind', 'name'] as const) {
    const text = stringOf(ref[field]);
    if (text === '') errs.push(required(`${path}.${field}`));
    else errs.push(...isValidPathSegmentName(text).map((msg) => invalid(`${path}.${field}`, text, msg)));
  }
  return errs;
}

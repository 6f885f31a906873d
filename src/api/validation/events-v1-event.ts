// events.k8s.io/v1 Event validation (upstream: ValidateEventCreate/ValidateEventUpdate with the
// strict rules for the events.k8s.io API: eventTime required, type Normal or Warning, deprecated
// fields unset, and on update the identifying fields immutable).
import { invalid, required, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { validateEventLegacy } from './event-rules.js';
import { isRecord, jsonEqual, numberOf, recordOf, stringOf } from './json-access.js';
import { FIELD_IMMUTABLE, validateObjectMeta } from './object-meta.js';

function validateSeries(obj: KubeObject): FieldError[] {
  const series = recordOf(obj.series);
  if (!series) return [];
  const errs: FieldError[] = [];
  if ((numberOf(series.count) ?? 0) < 2) errs.push(invalid('series.count', '', 'should be at least 2'));
  if (stringOf(series.lastObservedTime) === '') errs.push(required('series.lastObservedTime'));
  return errs;
}

export function validateEventsV1Event(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateEventLegacy(
    {
      namespace: stringOf(obj.metadata?.namespace),
      involvedNamespace: stringOf(recordOf(obj.regarding)?.namespace),
      eventTime: stringOf(obj.eventTime),
      reportingController: stringOf(obj.reportingController),
      reportingInstance: stringOf(obj.reportingInstance),
      action: stringOf(obj.action),
      reason: stringOf(obj.reason),
      message: stringOf(obj.note),
    },
    'reportingController',
  );
  errs.push(...validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata));
  errs.push(...validateSeries(obj));
  if (old === undefined) {
    if (stringOf(obj.eventTime) === '') errs.push(required('eventTime'));
    const type = stringOf(obj.type);
    if (type !== 'Normal' && type !== 'Warning') errs.push(invalid('type', '', `has invalid value: ${type}`));
    if (!isUnsetTime(obj.deprecatedFirstTimestamp)) errs.push(invalid('firstTimestamp', '', 'needs to be unset'));
    if (!isUnsetTime(obj.deprecatedLastTimestamp)) errs.push(invalid('lastTimestamp', '', 'needs to be unset'));
    if ((numberOf(obj.deprecatedCount) ?? 0) !== 0) errs.push(invalid('count', '', 'needs to be unset'));
    const source = recordOf(obj.deprecatedSource);
    if (source && (stringOf(source.component) !== '' || stringOf(source.host) !== ''))
      errs.push(invalid('source', '', 'needs to be unset'));
  } else {
    const pairs: [string, unknown, unknown][] = [
      ['involvedObject', obj.regarding, old.regarding],
      ['reason', obj.reason, old.reason],
      ['message', obj.note, old.note],
      ['type', obj.type, old.type],
      ['reportingController', obj.reportingController, old.reportingController],
      ['reportingInstance', obj.reportingInstance, old.reportingInstance],
    ];
    for (const [field, now, before] of pairs)
      if (!jsonEqual(now ?? '', before ?? '')) errs.push(invalid(field, isRecord(now) ? now : stringOf(now), FIELD_IMMUTABLE));
  }
  return errs;
}

function isUnsetTime(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

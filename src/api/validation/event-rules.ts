// The Event checks core/v1 and events.k8s.io/v1 share (upstream: legacyValidateEvent and the strict
// rules of ValidateEventCreate). Both APIs store the same internal Event, so upstream reports
// internal field names (involvedObject, message, ...) whichever API was used; so do we.
import { invalid, required, type FieldError } from '../field-error.js';
import { isQualifiedName } from './name-rules.js';

export const REPORTING_INSTANCE_LIMIT = 128;
export const ACTION_LIMIT = 128;
export const REASON_LIMIT = 128;
export const NOTE_LIMIT = 1024;

/** An Event's fields under their internal names, read from either API version. */
export interface EventFields {
  readonly namespace: string;
  readonly involvedNamespace: string;
  readonly eventTime: string;
  readonly reportingController: string;
  readonly reportingInstance: string;
  readonly action: string;
  readonly reason: string;
  readonly message: string;
}

/** `controllerField` is `reportingComponent` for core/v1 and `reportingController` for events.k8s.io. */
export function validateEventLegacy(event: EventFields, controllerField: string): FieldError[] {
  const errs: FieldError[] = [];
  const mismatch = (): FieldError => invalid('involvedObject.namespace', event.involvedNamespace, 'does not match event.namespace');
  if (event.eventTime === '') {
    if (event.involvedNamespace === '') {
      if (event.namespace !== '' && event.namespace !== 'default') errs.push(mismatch());
    } else if (event.namespace !== event.involvedNamespace) {
      errs.push(mismatch());
    }
    return errs;
  }
  if (event.involvedNamespace === '' && event.namespace !== 'default' && event.namespace !== 'kube-system') errs.push(mismatch());
  if (event.reportingController === '') errs.push(required(controllerField));
  for (const msg of isQualifiedName(event.reportingController)) errs.push(invalid(controllerField, event.reportingController, msg));
  const limited: [string, string, number][] = [
    ['reportingInstance', event.reportingInstance, REPORTING_INSTANCE_LIMIT],
    ['action', event.action, ACTION_LIMIT],
    ['reason', event.reason, REASON_LIMIT],
  ];
  for (const [field, value, limit] of limited) {
    if (value === '') errs.push(required(field));
    if (value.length > limit) errs.push(invalid(field, '', `can have at most ${limit} characters`));
  }
  if (event.message.length > NOTE_LIMIT) errs.push(invalid('message', '', `can have at most ${NOTE_LIMIT} characters`));
  return errs;
}

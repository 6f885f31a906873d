// core/v1 Event validation. Upstream applies only the legacy rules to core/v1 Events (old clients
// must keep working); we add the common metadata checks every kind gets.
import type { FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { validateEventLegacy } from './event-rules.js';
import { recordOf, stringOf } from './json-access.js';
import { validateObjectMeta } from './object-meta.js';

export function validateEvent(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata);
  errs.push(
    ...validateEventLegacy(
      {
        namespace: stringOf(obj.metadata?.namespace),
        involvedNamespace: stringOf(recordOf(obj.involvedObject)?.namespace),
        eventTime: stringOf(obj.eventTime),
        reportingController: stringOf(obj.reportingComponent),
        reportingInstance: stringOf(obj.reportingInstance),
        action: stringOf(obj.action),
        reason: stringOf(obj.reason),
        message: stringOf(obj.message),
      },
      'reportingComponent',
    ),
  );
  return errs;
}

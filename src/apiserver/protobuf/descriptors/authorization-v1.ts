// k8s.io.api.authorization.v1 self reviews, what `kubectl auth can-i` POSTs (field numbers from
// k8s.io/api/authorization/v1/generated.proto). Only the spec matters on the way in: status is
// the server's answer.
import { list, message, string, strings, sub, type MessageDescriptor } from './message-descriptor.js';
import { labelSelectorRequirement, objectMeta } from './meta-v1.js';

const P = 'k8s.io.api.authorization.v1';
const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

const fieldSelectorRequirement = message(`${META}.FieldSelectorRequirement`, {
  1: string('key'),
  2: string('operator'),
  3: strings('values'),
});

const fieldSelectorAttributes = message(`${P}.FieldSelectorAttributes`, {
  1: string('rawSelector'),
  2: list('requirements', () => fieldSelectorRequirement),
});

const labelSelectorAttributes = message(`${P}.LabelSelectorAttributes`, {
  1: string('rawSelector'),
  2: list('requirements', () => labelSelectorRequirement),
});

const resourceAttributes = message(`${P}.ResourceAttributes`, {
  1: string('namespace'),
  2: string('verb'),
  3: string('group'),
  4: string('version'),
  5: string('resource'),
  6: string('subresource'),
  7: string('name'),
  8: sub('fieldSelector', () => fieldSelectorAttributes),
  9: sub('labelSelector', () => labelSelectorAttributes),
});

const nonResourceAttributes = message(`${P}.NonResourceAttributes`, {
  1: string('path'),
  2: string('verb'),
});

const selfSubjectAccessReviewSpec = message(`${P}.SelfSubjectAccessReviewSpec`, {
  1: sub('resourceAttributes', () => resourceAttributes),
  2: sub('nonResourceAttributes', () => nonResourceAttributes),
});

export const selfSubjectAccessReview: MessageDescriptor = message(`${P}.SelfSubjectAccessReview`, {
  1: sub('metadata', () => objectMeta),
  2: sub('spec', () => selfSubjectAccessReviewSpec),
});

const selfSubjectRulesReviewSpec = message(`${P}.SelfSubjectRulesReviewSpec`, { 1: string('namespace') });

export const selfSubjectRulesReview: MessageDescriptor = message(`${P}.SelfSubjectRulesReview`, {
  1: sub('metadata', () => objectMeta),
  2: sub('spec', () => selfSubjectRulesReviewSpec),
});

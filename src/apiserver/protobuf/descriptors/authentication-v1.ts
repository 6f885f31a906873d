// k8s.io.api.authentication.v1 SelfSubjectReview, what `kubectl auth whoami` POSTs: only metadata
// (status, the user, is the server's answer).
import { message, sub, type MessageDescriptor } from './message-descriptor.js';
import { objectMeta } from './meta-v1.js';

export const selfSubjectReview: MessageDescriptor = message('k8s.io.api.authentication.v1.SelfSubjectReview', {
  1: sub('metadata', () => objectMeta),
});

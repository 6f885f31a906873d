// k8s.io.api.authentication.v1 SelfSubjectReview, what `kubectl auth whoami` POSTs: only metadata
// (status, the user, is the server's answer); and TokenRequest, what `kubectl create token` POSTs
// to serviceaccounts/token (its status, the token, is the server's answer too).
import { KEEP, int64, message, string, strings, sub, type MessageDescriptor } from './message-descriptor.js';
import { objectMeta } from './meta-v1.js';

const A = 'k8s.io.api.authentication.v1';

export const selfSubjectReview: MessageDescriptor = message(`${A}.SelfSubjectReview`, {
  1: sub('metadata', () => objectMeta),
});

const boundObjectReference = message(`${A}.BoundObjectReference`, {
  1: string('kind'),
  2: string('apiVersion'),
  3: string('name'),
  4: string('uid'),
});

const tokenRequestSpec = message(`${A}.TokenRequestSpec`, {
  1: strings('audiences'),
  // A Go *int64: present only when --duration was given; absent means the server's default.
  4: int64('expirationSeconds', KEEP),
  3: sub('boundObjectRef', () => boundObjectReference),
});

export const tokenRequest: MessageDescriptor = message(`${A}.TokenRequest`, {
  1: sub('metadata', () => objectMeta),
  2: sub('spec', () => tokenRequestSpec),
});

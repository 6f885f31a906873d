// authorization.k8s.io/v1 and authentication.k8s.io/v1 as far as kubectl's `auth can-i` and
// `auth whoami` and in-cluster components that check their own callers (TokenReview,
// SubjectAccessReview) use them: create-only review resources, answered on request, never stored.
import type { StaticApiGroup } from '../discovery/static-api-group.js';

export const AUTHORIZATION_GROUP = 'authorization.k8s.io';
export const AUTHENTICATION_GROUP = 'authentication.k8s.io';
export const REVIEW_VERSION = 'v1';

export const AUTHORIZATION_API_GROUP: StaticApiGroup = {
  name: AUTHORIZATION_GROUP,
  version: REVIEW_VERSION,
  resources: [
    { resource: 'selfsubjectaccessreviews', singular: 'selfsubjectaccessreview', kind: 'SelfSubjectAccessReview', namespaced: false, verbs: ['create'] },
    { resource: 'selfsubjectrulesreviews', singular: 'selfsubjectrulesreview', kind: 'SelfSubjectRulesReview', namespaced: false, verbs: ['create'] },
    { resource: 'subjectaccessreviews', singular: 'subjectaccessreview', kind: 'SubjectAccessReview', namespaced: false, verbs: ['create'] },
  ],
};

export const AUTHENTICATION_API_GROUP: StaticApiGroup = {
  name: AUTHENTICATION_GROUP,
  version: REVIEW_VERSION,
  resources: [
    { resource: 'selfsubjectreviews', singular: 'selfsubjectreview', kind: 'SelfSubjectReview', namespaced: false, verbs: ['create'] },
    { resource: 'tokenreviews', singular: 'tokenreview', kind: 'TokenReview', namespaced: false, verbs: ['create'] },
  ],
};

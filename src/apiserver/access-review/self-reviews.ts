// The answers to the self reviews, as pure functions of the request body and the caller. k8ts has
// no authorization layer (README, "What is not supported yet"): every authenticated caller (the
// admin token or a ServiceAccount token) may do everything, so an access review is always allowed and the rules
// review lists the wildcard rules, which is what upstream answers a cluster-admin.
import { invalid, type FieldError } from '../../api/field-error.js';
import type { KubeObject } from '../../api/object.js';
import type { UserInfo } from '../auth/authenticator.js';
import { InvalidError } from '../registry/api-errors.js';

const NO_AUTHORIZATION = 'k8ts has no authorization layer: every authenticated user may do everything';

/** Upstream requires a review's metadata to be empty (creationTimestamp: null counts as empty). */
function metadataErrors(review: KubeObject): FieldError[] {
  const metadata = review.metadata ?? {};
  const set = Object.entries(metadata).filter(([, value]) => value !== null && value !== undefined);
  return set.length > 0 ? [invalid('metadata', Object.fromEntries(set), 'must be empty')] : [];
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Exactly one of resourceAttributes and nonResourceAttributes, as upstream validates both reviews. */
function attributeErrors(spec: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  const resource = spec['resourceAttributes'];
  const nonResource = spec['nonResourceAttributes'];
  if (resource !== undefined && resource !== null && nonResource !== undefined && nonResource !== null) {
    errors.push(invalid('spec.nonResourceAttributes', nonResource, 'cannot be specified in combination with resourceAttributes'));
  }
  if ((resource === undefined || resource === null) && (nonResource === undefined || nonResource === null)) {
    errors.push(invalid('spec.resourceAttributes', null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  }
  return errors;
}

export function answerAccessReview(review: KubeObject): KubeObject {
  const spec = asRecord(review['spec']) ?? {};
  const errors = [...metadataErrors(review), ...attributeErrors(spec)];
  if (errors.length > 0) throw new InvalidError({ group: 'authorization.k8s.io', kind: 'SelfSubjectAccessReview' }, '', errors);
  return { ...review, metadata: {}, spec, status: { allowed: true, reason: NO_AUTHORIZATION } };
}

/**
 * SubjectAccessReview: may `spec.user` (or `spec.groups`) do this? Asked by components that
 * authorize their own callers (controller-runtime's metrics filter, kube-rbac-proxy). Always
 * allowed here, like every request (no authorization layer).
 */
export function answerSubjectAccessReview(review: KubeObject): KubeObject {
  const spec = asRecord(review['spec']) ?? {};
  const errors = attributeErrors(spec);
  const user = spec['user'];
  const groups = spec['groups'];
  if ((typeof user !== 'string' || user === '') && (!Array.isArray(groups) || groups.length === 0)) {
    errors.push(invalid('spec.user', typeof user === 'string' ? user : '', 'at least one of user or group must be specified'));
  }
  if (errors.length > 0) throw new InvalidError({ group: 'authorization.k8s.io', kind: 'SubjectAccessReview' }, '', errors);
  return { ...review, metadata: review.metadata ?? {}, spec, status: { allowed: true, reason: NO_AUTHORIZATION } };
}

export function answerRulesReview(review: KubeObject): KubeObject {
  const errors = metadataErrors(review);
  if (errors.length > 0) throw new InvalidError({ group: 'authorization.k8s.io', kind: 'SelfSubjectRulesReview' }, '', errors);
  return {
    ...review,
    metadata: {},
    spec: asRecord(review['spec']) ?? {},
    status: {
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    },
  };
}

/** The impersonation headers a client sent (`kubectl --as`, `--as-group`, `--as-uid`). */
export interface Impersonation {
  readonly user?: string;
  readonly groups: readonly string[];
  readonly uid?: string;
}

/**
 * Who the caller is. As upstream: an impersonated user has exactly the groups asked for, and every
 * authenticated user is also in system:authenticated.
 */
export function answerSelfReview(review: KubeObject, caller: UserInfo, impersonation: Impersonation): KubeObject {
  const errors = metadataErrors(review);
  if (errors.length > 0) throw new InvalidError({ group: 'authentication.k8s.io', kind: 'SelfSubjectReview' }, '', errors);
  const name = impersonation.user ?? caller.name;
  const groups = impersonation.user !== undefined ? [...impersonation.groups] : [...caller.groups];
  if (!groups.includes('system:authenticated')) groups.push('system:authenticated');
  // Upstream's field order: username, uid, groups, extra. The caller's uid and extra (a
  // ServiceAccount token's) do not carry over to an impersonated user.
  const uid = impersonation.user !== undefined ? impersonation.uid : caller.uid;
  const extra = impersonation.user !== undefined ? undefined : caller.extra;
  const userInfo = { username: name, ...(uid !== undefined ? { uid } : {}), groups, ...(extra !== undefined ? { extra } : {}) };
  return { ...review, metadata: {}, status: { userInfo } };
}

// POST /apis/authorization.k8s.io/v1/selfsubject{access,rules}reviews (`kubectl auth can-i`),
// /apis/authentication.k8s.io/v1/selfsubjectreviews (`kubectl auth whoami`), and the reviews
// in-cluster components send about their own callers: subjectaccessreviews and tokenreviews. Create-only and never
// stored, as upstream: the answer is the posted object with its status filled in (201, JSON; kubectl
// posts protobuf, decoded by the protobuf descriptors of these kinds).
import type { IncomingHttpHeaders } from 'node:http';
import { BadRequestError } from '../../lib/errors.js';
import type { UserInfo } from '../auth/authenticator.js';
import { decodeObjectBody } from '../http/decode-body.js';
import { readBody } from '../http/read-body.js';
import { resourceNotFound, type ResourceRequest } from '../http/resource-handler.js';
import { sendJson } from '../http/respond.js';
import { MethodNotSupportedError } from '../registry/api-errors.js';
import { AUTHENTICATION_GROUP, AUTHORIZATION_GROUP, REVIEW_VERSION } from './access-review-groups.js';
import { answerAccessReview, answerRulesReview, answerSelfReview, answerSubjectAccessReview, type Impersonation } from './self-reviews.js';
import type { TokenReviewer } from './token-review.js';

const KINDS: Readonly<Record<string, { readonly group: string; readonly kind: string }>> = {
  selfsubjectaccessreviews: { group: AUTHORIZATION_GROUP, kind: 'SelfSubjectAccessReview' },
  selfsubjectrulesreviews: { group: AUTHORIZATION_GROUP, kind: 'SelfSubjectRulesReview' },
  selfsubjectreviews: { group: AUTHENTICATION_GROUP, kind: 'SelfSubjectReview' },
  subjectaccessreviews: { group: AUTHORIZATION_GROUP, kind: 'SubjectAccessReview' },
  tokenreviews: { group: AUTHENTICATION_GROUP, kind: 'TokenReview' },
};

function headerValues(headers: IncomingHttpHeaders, name: string): string[] {
  const value = headers[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

/** Impersonate-User / -Group / -Uid; groups or a uid without a user are refused, as upstream does. */
export function impersonationOf(headers: IncomingHttpHeaders): Impersonation {
  const user = headerValues(headers, 'impersonate-user')[0];
  const groups = headerValues(headers, 'impersonate-group');
  const uid = headerValues(headers, 'impersonate-uid')[0];
  if (user === undefined && (groups.length > 0 || uid !== undefined)) {
    throw new BadRequestError('impersonating groups or a uid requires impersonating a user too (kubectl --as=NAME)');
  }
  return { ...(user !== undefined ? { user } : {}), groups, ...(uid !== undefined ? { uid } : {}) };
}

export class AccessReviewHandler {
  readonly #maxBodyBytes: number;
  readonly #tokenReviewer: TokenReviewer | undefined;

  /** Without a tokenReviewer, tokenreviews are 404 (a server that cannot check tokens). */
  constructor(options: { maxBodyBytes: number; tokenReviewer?: TokenReviewer }) {
    this.#maxBodyBytes = options.maxBodyBytes;
    this.#tokenReviewer = options.tokenReviewer;
  }

  /** Whether the URL's group is one of the review groups (their discovery is DiscoveryDocuments'). */
  static handles(group: string): boolean {
    return group === AUTHORIZATION_GROUP || group === AUTHENTICATION_GROUP;
  }

  async handle(request: ResourceRequest, caller: UserInfo): Promise<number> {
    const { req, res, path, labels } = request;
    const target = KINDS[path.resource];
    if (path.resource === 'tokenreviews' && !this.#tokenReviewer) throw resourceNotFound();
    if (target?.group !== path.group || path.version !== REVIEW_VERSION || path.namespace !== undefined || path.name !== undefined || path.subresource !== undefined) {
      throw resourceNotFound();
    }
    labels.resource = path.resource;
    if (req.method !== 'POST') throw new MethodNotSupportedError();
    labels.verb = 'CREATE';
    const review = decodeObjectBody(await readBody(req, this.#maxBodyBytes), req.headers['content-type']);
    const apiVersion = `${target.group}/${REVIEW_VERSION}`;
    if ((review.apiVersion !== undefined && review.apiVersion !== apiVersion) || (review.kind !== undefined && review.kind !== target.kind)) {
      throw new BadRequestError(`the body must be a ${apiVersion} ${target.kind}, not ${review.apiVersion ?? '?'} ${review.kind ?? '?'}`);
    }
    const typed = { ...review, apiVersion, kind: target.kind };
    let answer;
    if (path.resource === 'selfsubjectaccessreviews') answer = answerAccessReview(typed);
    else if (path.resource === 'selfsubjectrulesreviews') answer = answerRulesReview(typed);
    else if (path.resource === 'subjectaccessreviews') answer = answerSubjectAccessReview(typed);
    else if (path.resource === 'tokenreviews' && this.#tokenReviewer) answer = await this.#tokenReviewer.review(typed);
    else answer = answerSelfReview(typed, caller, impersonationOf(req.headers));
    sendJson(res, 201, answer);
    return 201;
  }
}

import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, it } from 'node:test';
import { BadRequestError } from '../../lib/errors.js';
import { bearerTokenOf, type UserInfo } from '../auth/authenticator.js';
import type { TokenReviewOutcome } from '../serviceaccount/service-account-authenticator.js';
import { TokenReviewer, type ServiceAccountTokenReviewer } from './token-review.js';

const API = 'https://kubernetes.default.svc.cluster.local';
const admin: UserInfo = { name: 'k8ts-admin', groups: ['system:masters'] };
const robot: UserInfo = { name: 'system:serviceaccount:ns:robot', uid: 'u-1', groups: ['system:serviceaccounts', 'system:serviceaccounts:ns'], extra: { 'authentication.kubernetes.io/pod-name': ['p'] } };

/** `sa-<aud>` tokens are ServiceAccount tokens for audience <aud>; `admin` is the static token. */
const accounts: ServiceAccountTokenReviewer = {
  review(token: string, audiences: readonly string[]): Promise<TokenReviewOutcome | undefined> {
    if (!token.startsWith('sa-')) return Promise.resolve(undefined);
    const aud = token.slice(3);
    if (!audiences.includes(aud)) return Promise.resolve({ refused: `token audiences ["${aud}"] is invalid for the target audiences ${JSON.stringify(audiences)}` });
    return Promise.resolve({ user: robot, audiences: [aud] });
  },
};
const seen: IncomingHttpHeaders[] = [];
const authenticator = {
  authenticate(headers: IncomingHttpHeaders): Promise<UserInfo | undefined> {
    seen.push(headers);
    return Promise.resolve(bearerTokenOf(headers) === 'admin' ? admin : undefined);
  },
};
const reviewer = new TokenReviewer({ authenticator, serviceAccounts: accounts, apiAudiences: [API] });

function review(spec: Record<string, unknown>) {
  return reviewer.review({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec });
}

describe('TokenReview', () => {
  it('names the user of a ServiceAccount token, for the API audience by default', async () => {
    const answer = await review({ token: `sa-${API}` });
    assert.deepEqual(answer['status'], {
      authenticated: true,
      user: { username: robot.name, uid: 'u-1', groups: robot.groups, extra: robot.extra },
      audiences: [API],
    });
    assert.deepEqual(answer['spec'], { token: `sa-${API}` });
  });

  it('checks a ServiceAccount token against the audiences asked for (a token minted for vault)', async () => {
    assert.deepEqual((await review({ token: 'sa-vault', audiences: ['vault'] }))['status'], {
      authenticated: true, user: { username: robot.name, uid: 'u-1', groups: robot.groups, extra: robot.extra }, audiences: ['vault'],
    });
    const refused = (await review({ token: 'sa-vault' }))['status'] as Record<string, unknown>;
    assert.equal(refused['authenticated'], undefined, 'Go omits a false authenticated');
    assert.deepEqual(refused['user'], {});
    assert.match(String(refused['error']), /^\[invalid bearer token, token audiences \["vault"\] is invalid for the target audiences/);
  });

  it('takes the admin token for the API audiences only; an unknown token is an error, not a failure of the request', async () => {
    assert.deepEqual((await review({ token: 'admin' }))['status'], { authenticated: true, user: { username: 'k8ts-admin', groups: ['system:masters'] }, audiences: [API] });
    assert.deepEqual(seen.at(-1), { authorization: 'Bearer admin' });
    assert.deepEqual((await review({ token: 'admin', audiences: ['vault'] }))['status'], { user: {}, error: 'token audiences are invalid for the target audiences' });
    assert.deepEqual((await review({ token: 'nope' }))['status'], { user: {}, error: 'invalid bearer token' });
  });

  it('refuses a review without a token (400, upstream wording)', async () => {
    await assert.rejects(review({}), (e: unknown) => e instanceof BadRequestError && e.message === 'token is required for TokenReview in authentication');
  });
});

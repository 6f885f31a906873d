import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { beforeEach, describe, it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { FakeClock } from '../../lib/clock.js';
import { UnavailableError } from '../../lib/errors.js';
import { silentLogger } from '../../lib/logger.js';
import { buildClaims, type BoundObjects } from './service-account-claims.js';
import { ServiceAccountAuthenticator, type LookupResource, type ObjectLookup } from './service-account-authenticator.js';
import { DEFAULT_SERVICE_ACCOUNT_ISSUER, ServiceAccountTokens } from './service-account-tokens.js';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });

describe('ServiceAccountAuthenticator', () => {
  let clock: FakeClock;
  let objects: Map<string, KubeObject>;
  let tokens: ServiceAccountTokens;
  let auth: ServiceAccountAuthenticator;
  let failing: boolean;

  const lookup: ObjectLookup = (resource: LookupResource, namespace: string | undefined, name: string) => {
    if (failing) return Promise.reject(new UnavailableError('store down'));
    return Promise.resolve(objects.get(`${resource}/${namespace ?? ''}/${name}`));
  };

  function put(resource: LookupResource, namespace: string, name: string, uid: string, deletionTimestamp?: string): void {
    objects.set(`${resource}/${namespace}/${name}`, { metadata: { name, uid, ...(deletionTimestamp ? { deletionTimestamp } : {}) } });
  }

  function token(bound: BoundObjects = {}, jti = 'jti-1'): Promise<string> {
    return tokens.sign(buildClaims({
      issuer: DEFAULT_SERVICE_ACCOUNT_ISSUER, audiences: [DEFAULT_SERVICE_ACCOUNT_ISSUER], namespace: 'team',
      serviceAccount: { name: 'ci', uid: 'sa-1' }, bound, now: clock.now(), expirationSeconds: 3600, jti,
    }));
  }

  function bearer(value: string) {
    return { authorization: `Bearer ${value}` };
  }

  beforeEach(() => {
    clock = new FakeClock({ start: new Date('2026-01-01T00:00:00Z') });
    objects = new Map();
    failing = false;
    tokens = new ServiceAccountTokens({ ...keys, clock });
    auth = new ServiceAccountAuthenticator({ tokens, lookup, clock, logger: silentLogger() });
    put('serviceaccounts', 'team', 'ci', 'sa-1');
  });

  it('names the ServiceAccount user with its groups, uid and credential id', async () => {
    assert.deepEqual(await auth.authenticate(bearer(await token())), {
      name: 'system:serviceaccount:team:ci',
      uid: 'sa-1',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:team'],
      extra: { 'authentication.kubernetes.io/credential-id': ['JTI=jti-1'] },
    });
  });

  it('ignores requests without a bearer token or with a token that is not ours', async () => {
    assert.equal(await auth.authenticate({}), undefined);
    assert.equal(await auth.authenticate(bearer('static-admin-token')), undefined);
  });

  it('refuses the token once its ServiceAccount is gone or was recreated with another uid', async () => {
    const t = await token();
    objects.clear();
    assert.equal(await auth.authenticate(bearer(t)), undefined);
    put('serviceaccounts', 'team', 'ci', 'sa-2');
    assert.equal(await auth.authenticate(bearer(t)), undefined);
  });

  it('keeps a ServiceAccount being deleted usable for the one-minute leeway only', async () => {
    const t = await token();
    put('serviceaccounts', 'team', 'ci', 'sa-1', '2026-01-01T00:00:00Z');
    assert.ok(await auth.authenticate(bearer(t)));
    clock.advance(61_000);
    assert.equal(await auth.authenticate(bearer(t)), undefined);
  });

  it('ties a pod-bound token to that pod (and reports pod and node in extra)', async () => {
    put('pods', 'team', 'web-1', 'pod-1');
    const t = await token({ pod: { name: 'web-1', uid: 'pod-1' }, node: { name: 'n1', uid: 'node-1' } });
    const user = await auth.authenticate(bearer(t));
    assert.deepEqual(user?.extra, {
      'authentication.kubernetes.io/pod-name': ['web-1'],
      'authentication.kubernetes.io/pod-uid': ['pod-1'],
      'authentication.kubernetes.io/node-name': ['n1'],
      'authentication.kubernetes.io/node-uid': ['node-1'],
      'authentication.kubernetes.io/credential-id': ['JTI=jti-1'],
    });
    // The node of a pod-bound token is information only: no Node object is needed.
    objects.delete('pods/team/web-1');
    assert.equal(await auth.authenticate(bearer(t)), undefined, 'deleting the pod revokes the token');
    put('pods', 'team', 'web-1', 'pod-2');
    assert.equal(await auth.authenticate(bearer(t)), undefined, 'a new pod of the same name does not revive it');
  });

  it('ties secret- and node-bound tokens to those objects', async () => {
    put('secrets', 'team', 's', 'sec-1');
    const secretBound = await token({ secret: { name: 's', uid: 'sec-1' } });
    assert.ok(await auth.authenticate(bearer(secretBound)));
    objects.delete('secrets/team/s');
    assert.equal(await auth.authenticate(bearer(secretBound)), undefined);

    objects.set('nodes//n1', { metadata: { name: 'n1', uid: 'node-1' } });
    const nodeBound = await token({ node: { name: 'n1', uid: 'node-1' } });
    assert.equal((await auth.authenticate(bearer(nodeBound)))?.extra?.['authentication.kubernetes.io/node-name']?.[0], 'n1');
    objects.delete('nodes//n1');
    assert.equal(await auth.authenticate(bearer(nodeBound)), undefined);
  });

  it('answers no user (401) when the lookups fail, rather than an error', async () => {
    failing = true;
    assert.equal(await auth.authenticate(bearer(await token())), undefined);
  });
});

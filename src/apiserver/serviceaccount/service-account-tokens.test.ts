import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { FakeClock } from '../../lib/clock.js';
import { signJwt, keyIdOf } from './jwt.js';
import { buildClaims, type ServiceAccountClaims } from './service-account-claims.js';
import { DEFAULT_SERVICE_ACCOUNT_ISSUER, ServiceAccountTokens } from './service-account-tokens.js';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const start = new Date('2026-01-01T00:00:00Z');

function claims(overrides: Partial<Parameters<typeof buildClaims>[0]> = {}): ServiceAccountClaims {
  return buildClaims({
    issuer: DEFAULT_SERVICE_ACCOUNT_ISSUER, audiences: [DEFAULT_SERVICE_ACCOUNT_ISSUER], namespace: 'team',
    serviceAccount: { name: 'ci', uid: 'sa-uid' }, bound: {}, now: start, expirationSeconds: 3600, jti: 'id-1', ...overrides,
  });
}

describe('ServiceAccountTokens', () => {
  const clock = new FakeClock({ start });
  const tokens = new ServiceAccountTokens({ ...keys, clock });

  it('writes upstream claims: iss, sub, aud, exp/iat/nbf in seconds, jti, kubernetes.io', async () => {
    const bound = { pod: { name: 'web-1', uid: 'pod-uid' }, node: { name: 'n1', uid: '' } };
    assert.deepEqual(claims({ bound }), {
      aud: [DEFAULT_SERVICE_ACCOUNT_ISSUER],
      exp: start.getTime() / 1000 + 3600,
      iat: start.getTime() / 1000,
      iss: DEFAULT_SERVICE_ACCOUNT_ISSUER,
      jti: 'id-1',
      'kubernetes.io': { namespace: 'team', node: { name: 'n1' }, pod: { name: 'web-1', uid: 'pod-uid' }, serviceaccount: { name: 'ci', uid: 'sa-uid' } },
      nbf: start.getTime() / 1000,
      sub: 'system:serviceaccount:team:ci',
    });
  });

  it('accepts its own token and gives back the claims', async () => {
    const checked = tokens.check(await tokens.sign(claims()));
    assert.ok(checked && 'claims' in checked);
    assert.equal(checked.claims.sub, 'system:serviceaccount:team:ci');
    assert.equal(checked.claims['kubernetes.io'].serviceaccount.uid, 'sa-uid');
  });

  it('leaves tokens of other issuers and non-JWTs to other authenticators', async () => {
    assert.equal(tokens.check(await tokens.sign(claims({ issuer: 'https://elsewhere' }))), undefined);
    assert.equal(tokens.check('0123456789abcdef'), undefined);
  });

  it('refuses a token signed by another key with our issuer', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = await signJwt({ ...claims() }, stranger.privateKey, keyIdOf(keys.publicKey));
    assert.deepEqual(tokens.check(forged), { refused: 'invalid signature' });
  });

  it('refuses an expired token once the one-minute leeway is over', async () => {
    const token = await tokens.sign(claims({ expirationSeconds: 600 }));
    const later = new FakeClock({ start: new Date(start.getTime() + 660_000) });
    const atLeeway = new ServiceAccountTokens({ ...keys, clock: later });
    assert.ok('claims' in (atLeeway.check(token) ?? {}), 'still inside the leeway');
    later.advance(1000);
    assert.deepEqual(atLeeway.check(token), { refused: 'token has expired' });
  });

  it('refuses a token that is not valid yet', async () => {
    const token = await tokens.sign(claims({ now: new Date(start.getTime() + 120_000) }));
    assert.deepEqual(tokens.check(token), { refused: 'token is not valid yet' });
  });

  it('refuses audiences the API server is not among', async () => {
    const checked = tokens.check(await tokens.sign(claims({ audiences: ['vault'] })));
    assert.ok(checked && 'refused' in checked);
    assert.match(checked.refused, /audiences \["vault"\]/);
    const both = tokens.check(await tokens.sign(claims({ audiences: ['vault', DEFAULT_SERVICE_ACCOUNT_ISSUER] })));
    assert.ok(both && 'claims' in both);
  });

  it('refuses claims without the kubernetes.io part or with a subject that does not match it', async () => {
    const { 'kubernetes.io': _dropped, ...bare } = claims();
    assert.deepEqual(tokens.check(await signJwt(bare, keys.privateKey, keyIdOf(keys.publicKey))), { refused: 'malformed claims' });
    const lying = { ...claims(), sub: 'system:serviceaccount:kube-system:admin' };
    assert.deepEqual(tokens.check(await signJwt(lying, keys.privateKey, keyIdOf(keys.publicKey))), { refused: 'malformed claims' });
  });
});

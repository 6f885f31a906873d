import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPublicPath } from './authenticator.js';
import { TokenAuthenticator } from './token-authenticator.js';

describe('TokenAuthenticator', () => {
  const admin = { name: 'admin', groups: ['system:masters'] };
  const auth = new TokenAuthenticator({ tokens: new Map([['abc123', admin]]) });

  it('accepts the right bearer token only', async () => {
    assert.equal(await auth.authenticate({ authorization: 'Bearer abc123' }), admin);
    assert.equal(await auth.authenticate({ authorization: 'bearer abc123' }), admin);
    assert.equal(await auth.authenticate({ authorization: 'Bearer abc1234' }), undefined);
    assert.equal(await auth.authenticate({ authorization: 'Basic abc123' }), undefined);
    assert.equal(await auth.authenticate({}), undefined);
  });

  it('leaves only version and health public', () => {
    for (const path of ['/version', '/healthz', '/livez', '/readyz', '/readyz/ping']) assert.equal(isPublicPath(path), true, path);
    for (const path of ['/api', '/apis', '/metrics', '/openapi/v3', '/api/v1/secrets', '/versionx']) assert.equal(isPublicPath(path), false, path);
  });
});

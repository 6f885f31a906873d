import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { keyIdOf, peekJwtPayload, signJwt, verifyJwt } from './jwt.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const kid = keyIdOf(publicKey);

function part(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('RS256 JWTs', () => {
  it('signs header {alg, kid} and a payload that verify with the public key', async () => {
    const token = await signJwt({ sub: 'x', n: 1 }, privateKey, kid);
    const [header, payload] = token.split('.');
    assert.deepEqual(JSON.parse(Buffer.from(header ?? '', 'base64url').toString()), { alg: 'RS256', kid });
    assert.deepEqual(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), { sub: 'x', n: 1 });
    assert.deepEqual(verifyJwt(token, publicKey), { sub: 'x', n: 1 });
    assert.deepEqual(peekJwtPayload(token), { sub: 'x', n: 1 });
  });

  it('derives the key id as upstream: unpadded base64url SHA-256 of the DER public key', async () => {
    const expected = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
    assert.equal(kid, expected);
    assert.doesNotMatch(kid, /[=+/]/);
    assert.notEqual(keyIdOf(other.publicKey), kid);
  });

  it('refuses a changed payload, another key, and a broken signature', async () => {
    const token = await signJwt({ sub: 'x' }, privateKey, kid);
    const [header, , signature] = token.split('.');
    assert.equal(verifyJwt(`${header}.${part({ sub: 'admin' })}.${signature}`, publicKey), undefined);
    assert.equal(verifyJwt(token, other.publicKey), undefined);
    assert.equal(verifyJwt(`${token.slice(0, -2)}AA`, publicKey), undefined);
    assert.equal(verifyJwt(`${token}.extra`, publicKey), undefined);
    assert.equal(verifyJwt('not-a-jwt', publicKey), undefined);
  });

  it('accepts RS256 only: alg none and HMAC-signed tokens are refused', async () => {
    const payload = part({ sub: 'x' });
    assert.equal(verifyJwt(`${part({ alg: 'none' })}.${payload}.`, publicKey), undefined);
    // An RS256 signature under a header that says HS256 is still refused on the header.
    const hsHeader = part({ alg: 'HS256' });
    const signature = sign('sha256', Buffer.from(`${hsHeader}.${payload}`), privateKey).toString('base64url');
    assert.equal(verifyJwt(`${hsHeader}.${payload}.${signature}`, publicKey), undefined);
  });

  it('peeks only at well-formed compact tokens', async () => {
    assert.equal(peekJwtPayload('a.b'), undefined);
    assert.equal(peekJwtPayload(`${part({})}.${part([1])}.x`), undefined, 'a payload must be an object');
    assert.equal(peekJwtPayload(`${part({})}.%%%.x`), undefined);
  });
});

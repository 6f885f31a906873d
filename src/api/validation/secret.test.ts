import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { defaultSecret } from '../defaults/secret.js';
import { validateSecret } from './secret.js';

function secret(extra: Record<string, unknown>): KubeObject {
  const obj: KubeObject = { metadata: { name: 's', namespace: 'default' }, ...extra };
  defaultSecret(obj);
  return obj;
}
const messages = (obj: KubeObject, old?: KubeObject): string[] => validateSecret(obj, old).map(formatFieldError);

test('valid Opaque secret, from stringData too', () => {
  assert.deepEqual(messages(secret({ stringData: { password: 'hunter2' } })), []);
});

test('keys, base64 and size', () => {
  assert.match(messages(secret({ data: { 'no spaces': 'eA==' } }))[0] ?? '', /^data\[no spaces\]: Invalid value: "no spaces": a valid config key/);
  assert.deepEqual(messages(secret({ data: { a: 'not base64!' } })), ['data[a]: Invalid value: "<secret contents redacted>": illegal base64 data']);
  const big = Buffer.alloc(1024 * 1024 + 1).toString('base64');
  assert.deepEqual(messages(secret({ data: { a: big } })), ['data: Too long: may not be more than 1048576 bytes']);
});

test('typed secrets need their keys', () => {
  assert.deepEqual(messages(secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } })), ['data[tls.key]: Required value']);
  assert.deepEqual(messages(secret({ type: 'kubernetes.io/basic-auth' })), ['data[username]: Required value', 'data[password]: Required value']);
  assert.deepEqual(messages(secret({ type: 'kubernetes.io/service-account-token' })), [
    'metadata.annotations[kubernetes.io/service-account.name]: Required value',
  ]);
});

test('update: type immutable, immutable data', () => {
  const old = secret({ data: { a: 'eA==' }, immutable: true });
  assert.deepEqual(messages(secret({ type: 'kubernetes.io/tls', data: { a: 'eQ==' }, immutable: true }), old), [
    'data[tls.crt]: Required value',
    'data[tls.key]: Required value',
    'type: Invalid value: "kubernetes.io/tls": field is immutable',
    'data: Forbidden: field is immutable when `immutable` is set',
  ]);
});

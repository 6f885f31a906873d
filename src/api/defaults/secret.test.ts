import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../object.js';
import { defaultSecret } from './secret.js';

test('Secret: type Opaque, stringData folded into base64 data', () => {
  const obj: KubeObject = { metadata: { name: 's' }, data: { a: 'eA==' }, stringData: { b: 'héllo', a: 'y' } };
  defaultSecret(obj);
  assert.equal(obj.type, 'Opaque');
  assert.deepEqual(obj.data, { a: 'eQ==', b: Buffer.from('héllo').toString('base64') });
  assert.equal('stringData' in obj, false);
  const typed: KubeObject = { metadata: { name: 't' }, type: 'kubernetes.io/tls' };
  defaultSecret(typed);
  assert.equal(typed.type, 'kubernetes.io/tls');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../field-error.js';
import { validateObjectMeta } from './object-meta.js';

const rules = { namespaced: true, nameRule: 'dns1123Subdomain' } as const;
const messages = (meta: unknown, old?: unknown, r: Parameters<typeof validateObjectMeta>[1] = rules): string[] =>
  validateObjectMeta(meta, r, old).map(formatFieldError);

test('a valid namespaced meta has no errors', () => {
  assert.deepEqual(messages({ name: 'web', namespace: 'default', labels: { app: 'web' }, annotations: { 'a.io/b': 'x' } }), []);
});

test('name required and name format', () => {
  assert.deepEqual(messages({ namespace: 'default' }), ['metadata.name: Required value: name or generateName is required']);
  assert.deepEqual(messages({ name: 'Foo', namespace: 'default' }), [
    "metadata.name: Invalid value: \"Foo\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
  assert.equal(messages({ name: 'a.b' }, undefined, { namespaced: false, nameRule: 'dns1123Label' })[0], 'metadata.name: Invalid value: "a.b": must not contain dots');
  assert.deepEqual(messages({ name: 'x', generateName: 'web-', namespace: 'default' }), []);
});

test('namespace required for namespaced kinds, forbidden for cluster-scoped', () => {
  assert.deepEqual(messages({ name: 'x' }), ['metadata.namespace: Required value']);
  assert.deepEqual(messages({ name: 'x', namespace: 'ns' }, undefined, { namespaced: false, nameRule: 'dns1123Subdomain' }), [
    'metadata.namespace: Forbidden: not allowed on this type',
  ]);
});

test('labels, annotations size, owner references, finalizers', () => {
  const labelErrs = messages({ name: 'x', namespace: 'd', labels: { 'bad key!': 'v', ok: 'bad value!' } });
  assert.equal(labelErrs.length, 2);
  assert.match(labelErrs[0] ?? '', /^metadata\.labels: Invalid value: "bad key!": name part must consist of/);
  assert.match(labelErrs[1] ?? '', /^metadata\.labels: Invalid value: "bad value!": a valid label must be an empty string/);
  assert.deepEqual(messages({ name: 'x', namespace: 'd', annotations: { big: 'x'.repeat(256 * 1024) } }), [
    'metadata.annotations: Too long: may not be more than 262144 bytes',
  ]);
  assert.deepEqual(messages({ name: 'x', namespace: 'd', ownerReferences: [{ apiVersion: 'apps/', kind: 'ReplicaSet', name: 'rs', uid: '' }] }), [
    'metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty',
    'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
  ]);
  const twoControllers = messages({
    name: 'x',
    namespace: 'd',
    ownerReferences: [
      { apiVersion: 'v1', kind: 'A', name: 'a', uid: '1', controller: true },
      { apiVersion: 'v1', kind: 'B', name: 'b', uid: '2', controller: true },
    ],
  });
  assert.match(twoControllers[0] ?? '', /Only one reference can have Controller set to true\. Found "true" in references for A\/a and B\/b$/);
  assert.match(messages({ name: 'x', namespace: 'd', finalizers: ['bad finalizer'] })[0] ?? '', /^metadata\.finalizers: Invalid value: "bad finalizer"/);
});

test('update: name, namespace, uid and creationTimestamp are immutable', () => {
  const old = { name: 'a', namespace: 'd', uid: 'u1', creationTimestamp: '2024-01-01T00:00:00Z' };
  assert.deepEqual(messages({ ...old, labels: { x: 'y' } }, old), []);
  assert.deepEqual(messages({ name: 'a', namespace: 'd' }, old), [], 'omitted uid/creationTimestamp are filled by the registry');
  assert.deepEqual(messages({ ...old, name: 'b', uid: 'u2' }, old), [
    'metadata.name: Invalid value: "b": field is immutable',
    'metadata.uid: Invalid value: "u2": field is immutable',
  ]);
  assert.deepEqual(messages({ ...old, finalizers: ['a.io/x'] }, { ...old, deletionTimestamp: '2024-01-02T00:00:00Z' }), [
    'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ["a.io/x"]',
  ]);
});

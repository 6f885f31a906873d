import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../field-error.js';
import { validateNamespace } from './namespace.js';

test('namespace names are DNS labels and cluster-scoped', () => {
  assert.deepEqual(validateNamespace({ metadata: { name: 'team-a' }, spec: { finalizers: ['kubernetes'] } }), []);
  assert.match(formatFieldError(validateNamespace({ metadata: { name: 'Team' } })[0]!), /^metadata\.name: Invalid value: "Team": a lowercase RFC 1123 label/);
  assert.deepEqual(validateNamespace({ metadata: { name: 'a.b' } }).map(formatFieldError), ['metadata.name: Invalid value: "a.b": must not contain dots']);
  assert.deepEqual(validateNamespace({ metadata: { name: 'x' }, spec: { finalizers: ['custom'] } }).map(formatFieldError), [
    'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
  ]);
  assert.deepEqual(validateNamespace({ metadata: { name: 'b' } }, { metadata: { name: 'a' } }).map(formatFieldError), [
    'metadata.name: Invalid value: "b": field is immutable',
  ]);
});

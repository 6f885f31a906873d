import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../field-error.js';
import { validateServiceAccount } from './service-account.js';

test('service accounts: metadata and secret references', () => {
  assert.deepEqual(validateServiceAccount({ metadata: { name: 'default', namespace: 'team-a' } }), []);
  assert.deepEqual(validateServiceAccount({ metadata: { name: 'sa' } }).map(formatFieldError), ['metadata.namespace: Required value']);
  assert.deepEqual(validateServiceAccount({ metadata: { name: 'sa', namespace: 'd' }, imagePullSecrets: [{}] }).map(formatFieldError), [
    'imagePullSecrets[0].name: Required value',
  ]);
});

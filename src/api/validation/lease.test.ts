import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../field-error.js';
import { validateLease } from './lease.js';

test('lease spec bounds', () => {
  const metadata = { name: 'kube-scheduler', namespace: 'kube-system' };
  assert.deepEqual(validateLease({ metadata, spec: { holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 } }), []);
  assert.deepEqual(validateLease({ metadata, spec: { leaseDurationSeconds: 0, leaseTransitions: -1 } }).map(formatFieldError), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
  ]);
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFieldError } from '../field-error.js';
import { validatePriorityClass } from './priority-class.js';

const pc = (name: string, value: unknown, extra: Record<string, unknown> = {}) =>
  ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...extra });
const errors = (obj: ReturnType<typeof pc>, old?: ReturnType<typeof pc>) => validatePriorityClass(obj, old).map(formatFieldError);

describe('validatePriorityClass', () => {
  it('accepts the built-in classes only as they are', () => {
    assert.deepEqual(errors(pc('system-node-critical', 2000001000)), []);
    assert.deepEqual(errors(pc('system-node-critical', 5)), [
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000",
    ]);
    assert.match(errors(pc('system-cluster-critical', 2000000000, { globalDefault: true }))[0] ?? '', /globalDefault of system-cluster-critical PriorityClass must be false/);
  });

  it('bounds user values and checks the policy', () => {
    assert.deepEqual(errors(pc('ok', 1_000_000_000)), []);
    assert.deepEqual(errors(pc('neg', -5)), []);
    assert.deepEqual(errors(pc('big', 1_000_000_001)), ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']);
    assert.deepEqual(errors(pc('frac', 1.5)), ['value: Invalid value: 1.5: must be a 32-bit integer']);
    assert.deepEqual(errors(pc('p', 1, { preemptionPolicy: 'Maybe' })), ['preemptionPolicy: Unsupported value: "Maybe": supported values: "PreemptLowerPriority", "Never"']);
  });

  it('keeps value and preemptionPolicy immutable', () => {
    const old = pc('a', 1, { preemptionPolicy: 'Never' });
    assert.deepEqual(errors(pc('a', 1, { preemptionPolicy: 'Never', description: 'changed' }), old), []);
    assert.deepEqual(errors(pc('a', 2, { preemptionPolicy: 'PreemptLowerPriority' }), old), [
      'value: Forbidden: may not be changed in an update.',
      'preemptionPolicy: Invalid value: "PreemptLowerPriority": field is immutable',
    ]);
  });
});

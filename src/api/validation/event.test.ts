import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../field-error.js';
import { validateEvent } from './event.js';

const base = {
  metadata: { name: 'web.17a1', namespace: 'default' },
  involvedObject: { kind: 'Deployment', namespace: 'default', name: 'web' },
  reason: 'ScalingReplicaSet',
  message: 'Scaled up',
  source: { component: 'deployment-controller' },
  count: 1,
  type: 'Normal',
};

test('a legacy (controller-style) core Event is valid', () => {
  assert.deepEqual(validateEvent(base), []);
  assert.deepEqual(validateEvent({ ...base, involvedObject: { kind: 'Node', name: 'n1' } }), [], 'cluster-scoped object, event in default');
});

test('involvedObject namespace must match', () => {
  assert.deepEqual(validateEvent({ ...base, involvedObject: { kind: 'Pod', namespace: 'other', name: 'p' } }).map(formatFieldError), [
    'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
  ]);
});

test('new-style core Events (eventTime set) need reporting fields', () => {
  assert.deepEqual(validateEvent({ ...base, eventTime: '2024-01-01T00:00:00.000000Z' }).map(formatFieldError), [
    'reportingComponent: Required value',
    'reportingComponent: Invalid value: "": name part must be non-empty',
    "reportingComponent: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    'reportingInstance: Required value',
    'action: Required value',
  ]);
});

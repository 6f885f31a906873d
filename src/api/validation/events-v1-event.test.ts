import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../field-error.js';
import { validateEventsV1Event } from './events-v1-event.js';

const valid = {
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name: 'web.17a1', namespace: 'default' },
  eventTime: '2024-01-01T00:00:00.000000Z',
  regarding: { kind: 'Deployment', namespace: 'default', name: 'web' },
  reason: 'ScalingReplicaSet',
  note: 'Scaled up',
  type: 'Normal',
  action: 'Scale',
  reportingController: 'k8ts.io/deployment-controller',
  reportingInstance: 'k8ts-1',
};

test('a complete events.k8s.io Event is valid', () => {
  assert.deepEqual(validateEventsV1Event(valid), []);
});

test('strict create rules', () => {
  const { eventTime: _unused, ...noTime } = valid;
  assert.deepEqual(validateEventsV1Event({ ...noTime, type: 'Info', deprecatedCount: 3 }).map(formatFieldError), [
    'eventTime: Required value',
    'type: Invalid value: "": has invalid value: Info',
    'count: Invalid value: "": needs to be unset',
  ]);
  assert.deepEqual(validateEventsV1Event({ ...valid, series: { count: 1 } }).map(formatFieldError), [
    'series.count: Invalid value: "": should be at least 2',
    'series.lastObservedTime: Required value',
  ]);
});

test('update: identifying fields immutable, series may change', () => {
  assert.deepEqual(validateEventsV1Event({ ...valid, series: { count: 2, lastObservedTime: '2024-01-01T00:01:00.000000Z' } }, valid), []);
  assert.deepEqual(validateEventsV1Event({ ...valid, reason: 'Other' }, valid).map(formatFieldError), ['reason: Invalid value: "Other": field is immutable']);
});

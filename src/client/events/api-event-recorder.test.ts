import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../lib/clock.js';
import { UnavailableError } from '../../lib/errors.js';
import { FakeClientSet } from '../fake/fake-client-set.js';
import { EVENTS } from '../resource-types.js';
import { ApiEventRecorder } from './api-event-recorder.js';
import { FakeEventRecorder } from './fake-event-recorder.js';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'prod', uid: 'uid-1', resourceVersion: '7' },
  spec: { replicas: 3 },
};

test('creates an upstream-shaped Event, then counts repeats within 10 minutes', async () => {
  const clock = new FakeClock();
  const clients = new FakeClientSet({ clock });
  const recorder = new ApiEventRecorder({ events: clients.resource(EVENTS), component: 'deployment-controller', host: 'node-1', clock });
  recorder.event(deployment, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set web-abc to 3');
  await recorder.flush();
  const [event] = (await clients.resource(EVENTS).list('prod')).items;
  assert.ok(event);
  assert.match(event.metadata?.name ?? '', /^web\.[0-9a-f]+$/);
  assert.deepEqual(event['involvedObject'], { kind: 'Deployment', namespace: 'prod', name: 'web', uid: 'uid-1', apiVersion: 'apps/v1', resourceVersion: '7' });
  assert.deepEqual(
    { reason: event['reason'], message: event['message'], type: event['type'], count: event['count'], source: event['source'], first: event['firstTimestamp'], last: event['lastTimestamp'], reporting: event['reportingComponent'] },
    { reason: 'ScalingReplicaSet', message: 'Scaled up replica set web-abc to 3', type: 'Normal', count: 1, source: { component: 'deployment-controller', host: 'node-1' }, first: '2025-01-01T00:00:00Z', last: '2025-01-01T00:00:00Z', reporting: 'deployment-controller' },
  );

  clock.advance(60_000);
  recorder.event(deployment, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set web-abc to 3');
  await recorder.flush();
  const afterRepeat = (await clients.resource(EVENTS).list('prod')).items;
  assert.equal(afterRepeat.length, 1);
  assert.equal(afterRepeat[0]?.['count'], 2);
  assert.equal(afterRepeat[0]?.['lastTimestamp'], '2025-01-01T00:01:00Z');
  assert.equal(afterRepeat[0]?.['firstTimestamp'], '2025-01-01T00:00:00Z');

  clock.advance(11 * 60_000);
  recorder.event(deployment, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set web-abc to 3');
  recorder.event(deployment, 'Warning', 'Other', 'different');
  await recorder.flush();
  assert.equal((await clients.resource(EVENTS).list('prod')).items.length, 3, 'outside the window and a different reason: new Events');
});

test('cluster-scoped objects get events in default; failures are swallowed; the queue is bounded', async () => {
  const clock = new FakeClock();
  const clients = new FakeClientSet({ clock });
  const recorder = new ApiEventRecorder({ events: clients.resource(EVENTS), component: 'node-controller', clock, maxQueue: 1 });
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'u' } };
  clients.fail('create', 'events', new UnavailableError('down'), { times: 1 });
  recorder.event(node, 'Normal', 'A', 'first fails'); // taken off the queue at once
  recorder.event(node, 'Normal', 'B', 'second works');
  recorder.event(node, 'Normal', 'C', 'third is dropped: queue full');
  await recorder.flush();
  const events = (await clients.resource(EVENTS).list(undefined)).items;
  assert.deepEqual(events.map((e) => [e.metadata?.namespace, e['reason']]), [['default', 'B']]);
});

test('FakeEventRecorder keeps what was recorded', () => {
  const fake = new FakeEventRecorder();
  fake.event(deployment, 'Warning', 'FailedCreate', 'boom');
  assert.deepEqual(fake.events.map((e) => [e.type, e.reason, e.message, e.object.metadata?.name]), [['Warning', 'FailedCreate', 'boom', 'web']]);
  assert.deepEqual(fake.reasons(), ['FailedCreate']);
});

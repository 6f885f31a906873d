import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../api/object.js';
import { FakeClock } from '../../../lib/clock.js';
import { MemoryStore } from '../../../storage/memory/memory-store.js';
import { GenericRegistry } from '../generic-registry.js';
import { nextEvent } from '../registry-fixtures.test.js';
import { eventStrategy } from './event.js';
import { coreEventToEventsV1, eventsV1ToCoreEvent } from './event-conversion.js';
import { eventsV1EventStrategy } from './events-v1-event.js';

const WRITE = { dryRun: false, fieldValidation: 'Strict' } as const;

const CORE: KubeObject = {
  apiVersion: 'v1', kind: 'Event',
  metadata: { name: 'web.1', namespace: 'default' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1', apiVersion: 'v1' },
  reason: 'Pulled', message: 'Container image pulled', type: 'Normal',
  source: { component: 'kubelet', host: 'node-1' },
  firstTimestamp: '2025-06-01T00:00:00Z', lastTimestamp: '2025-06-01T00:05:00Z', count: 3,
  reportingComponent: 'kubelet', reportingInstance: 'node-1',
};

const EVENTS_V1: KubeObject = {
  apiVersion: 'events.k8s.io/v1', kind: 'Event',
  metadata: { name: 'web.2', namespace: 'default' },
  eventTime: '2025-06-01T00:00:00.000000Z',
  series: { count: 2, lastObservedTime: '2025-06-01T00:01:00.000000Z' },
  reportingController: 'k8ts.io/rollout-controller', reportingInstance: 'k8ts-1',
  action: 'Scaling', reason: 'ScalingReplicaSet', type: 'Normal', note: 'Scaled up',
  regarding: { kind: 'Deployment', namespace: 'default', name: 'web', apiVersion: 'apps/v1' },
  related: { kind: 'ReplicaSet', namespace: 'default', name: 'web-1', apiVersion: 'apps/v1' },
};

describe('Event conversion (upstream pkg/apis/events/v1/conversion.go)', () => {
  it('renames the core fields to the events.k8s.io ones', () => {
    assert.deepEqual(coreEventToEventsV1(CORE), {
      apiVersion: 'events.k8s.io/v1', kind: 'Event',
      metadata: { name: 'web.1', namespace: 'default' },
      regarding: CORE['involvedObject'],
      reason: 'Pulled', note: 'Container image pulled', type: 'Normal',
      deprecatedSource: { component: 'kubelet', host: 'node-1' },
      deprecatedFirstTimestamp: '2025-06-01T00:00:00Z', deprecatedLastTimestamp: '2025-06-01T00:05:00Z', deprecatedCount: 3,
      reportingController: 'kubelet', reportingInstance: 'node-1',
    });
  });

  it('round-trips both ways without loss', () => {
    assert.deepEqual(eventsV1ToCoreEvent(coreEventToEventsV1(CORE)), CORE);
    assert.deepEqual(coreEventToEventsV1(eventsV1ToCoreEvent(EVENTS_V1)), EVENTS_V1);
    const core = eventsV1ToCoreEvent(EVENTS_V1);
    assert.equal(core.apiVersion, 'v1');
    assert.equal(core['message'], 'Scaled up');
    assert.equal(core['reportingComponent'], 'k8ts.io/rollout-controller');
    assert.deepEqual(core['involvedObject'], EVENTS_V1['regarding']);
    assert.deepEqual(core['series'], EVENTS_V1['series']);
  });
});

describe('core and events.k8s.io Events share one stored object', () => {
  function registries() {
    const store = new MemoryStore();
    const clock = new FakeClock();
    const core = new GenericRegistry({ store, strategy: eventStrategy, clock });
    const events = new GenericRegistry({ store, strategy: eventsV1EventStrategy, clock });
    return { store, core, events, close: () => { core.close(); events.close(); } };
  }

  it('serves an Event written through either API through the other one', async () => {
    const { store, core, events, close } = registries();
    try {
      await events.create('default', structuredClone(EVENTS_V1), WRITE);
      const asCore = await core.get('default', 'web.2');
      assert.equal(asCore.apiVersion, 'v1');
      assert.equal(asCore['message'], 'Scaled up');
      assert.equal((asCore['involvedObject'] as { name: string }).name, 'web');

      await core.create('default', structuredClone(CORE), WRITE);
      const asEvents = await events.get('default', 'web.1');
      assert.equal(asEvents.apiVersion, 'events.k8s.io/v1');
      assert.equal(asEvents['note'], 'Container image pulled');
      assert.equal(asEvents['deprecatedCount'], 3);
      assert.equal(asEvents.metadata?.resourceVersion, (await core.get('default', 'web.1')).metadata?.resourceVersion);

      assert.deepEqual((await core.list('default', {})).items.map((e) => e.metadata?.name), ['web.1', 'web.2']);
      assert.deepEqual((await events.list('default', { fieldSelector: 'regarding.kind=Pod' })).items.map((e) => e.metadata?.name), ['web.1']);
      assert.deepEqual((await core.list('default', { fieldSelector: 'involvedObject.kind=Deployment' })).items.map((e) => e.metadata?.name), ['web.2']);
      // One key per Event, in the core resource's place.
      assert.deepEqual((await store.list({ prefix: '/registry/' })).items.map((kv) => kv.key),
        ['/registry/core/events/default/web.1', '/registry/core/events/default/web.2']);

      // An update through the core API (a count bump) shows through the other.
      const current = await core.get('default', 'web.1');
      await core.update('default', 'web.1', { ...current, count: 4 }, WRITE);
      assert.equal((await events.get('default', 'web.1'))['deprecatedCount'], 4);

      await events.delete('default', 'web.1', { dryRun: false });
      await assert.rejects(core.get('default', 'web.1'), (e: unknown) => e instanceof Error && 'code' in e && e.code === 'NotFound');
    } finally {
      close();
      await store.close();
    }
  });

  it('watches through both APIs, each in its own shape', async () => {
    const { store, core, events, close } = registries();
    const controller = new AbortController();
    try {
      const rv = (await core.list('default', {})).metadata.resourceVersion;
      const coreWatch = core.watch('default', { resourceVersion: rv, signal: controller.signal })[Symbol.asyncIterator]();
      const eventsWatch = events.watch('default', { resourceVersion: rv, signal: controller.signal })[Symbol.asyncIterator]();
      await core.create('default', structuredClone(CORE), WRITE);
      const seenCore = await nextEvent(coreWatch);
      const seenEvents = await nextEvent(eventsWatch);
      assert.equal(seenCore.type, 'ADDED');
      assert.equal(seenCore.object['message'], 'Container image pulled');
      assert.equal(seenEvents.type, 'ADDED');
      assert.equal(seenEvents.object.apiVersion, 'events.k8s.io/v1');
      assert.equal(seenEvents.object['note'], 'Container image pulled');
    } finally {
      controller.abort();
      close();
      await store.close();
    }
  });
});

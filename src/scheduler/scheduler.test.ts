// End to end through the Scheduler: FakeClientSet + the shared informers, decisions driven one
// pod at a time (tryPop + scheduleOne), so nothing depends on timing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import { FakeEventRecorder } from '../client/events/fake-event-recorder.js';
import { FakeClientSet } from '../client/fake/fake-client-set.js';
import { SharedInformerFactory } from '../client/informer/shared-informer-factory.js';
import { NODES, PODS } from '../client/resource-types.js';
import { FakeClock } from '../lib/clock.js';
import { silentLogger } from '../lib/logger.js';
import { Scheduler } from './scheduler.js';
import { makeNode, makePod } from './testing/fixtures.js';

/** Lets informer deliveries run: yields to the event loop until `done()` or gives up. */
async function settle(done: () => boolean, maxTurns = 2000): Promise<void> {
  for (let i = 0; i < maxTurns && !done(); i++) await new Promise<void>((resolve) => setImmediate(resolve));
  assert.ok(done(), 'condition not reached');
}

async function setup(nodes: Node[]) {
  const clock = new FakeClock();
  const clients = new FakeClientSet({ clock });
  clients.seed(NODES, ...nodes.map((n) => n as KubeObject));
  const informers = new SharedInformerFactory({ clients, logger: silentLogger() });
  const recorder = new FakeEventRecorder();
  const scheduler = new Scheduler({ clients, informers, clock, logger: silentLogger(), recorder, random: () => 0 });
  const controller = new AbortController();
  informers.start(controller.signal);
  await informers.waitForSync(controller.signal);
  const pods = clients.resource<Pod & KubeObject>(PODS);

  /** Creates the pods and waits until the scheduler's queue holds them all. */
  async function create(...list: Pod[]): Promise<void> {
    for (const pod of list) await pods.create('default', pod as Pod & KubeObject);
    await settle(() => list.every((p) => scheduler.queue.where(`default/${p.metadata?.name}`) === 'active'));
  }

  /** Runs scheduling attempts for everything active; returns when bindings are done. */
  async function drain(): Promise<void> {
    const binds: Promise<void>[] = [];
    for (let queued = scheduler.queue.tryPop(); queued; queued = scheduler.queue.tryPop()) {
      const bind = scheduler.scheduleOne(queued);
      if (bind) binds.push(bind);
    }
    await Promise.all(binds);
  }

  async function nodeOf(name: string): Promise<string | undefined> {
    return (await pods.get('default', name)).spec?.nodeName;
  }

  return { clients, clock, recorder, scheduler, pods, create, drain, nodeOf, stop: () => controller.abort() };
}

describe('Scheduler', () => {
  it('binds pods to a node that fits and records Scheduled', async () => {
    const t = await setup([makeNode('node-1', { labels: { disk: 'hdd' } }), makeNode('node-2', { labels: { disk: 'ssd' } })]);
    await t.create(makePod('web-x', { spec: { nodeSelector: { disk: 'ssd' } } }));
    await t.drain();
    assert.equal(await t.nodeOf('web-x'), 'node-2');
    const binding = t.clients.actions.find((a) => a.subresource === 'binding');
    assert.equal(binding?.name, 'web-x');
    assert.deepEqual(
      t.recorder.events.map((e) => [e.type, e.reason, e.message]),
      [['Normal', 'Scheduled', 'Successfully assigned default/web-x to node-2']],
    );
    t.stop();
  });

  it('spreads equal pods over equal nodes (least allocated + owner spread)', async () => {
    const t = await setup([makeNode('a'), makeNode('b'), makeNode('c')]);
    const replicas = [1, 2, 3, 4, 5, 6].map((i) => makePod(`r${i}`, { cpu: '500m', memory: '512Mi', ownerUid: 'rs-1' }));
    await t.create(...replicas);
    await t.drain();
    const counts = new Map<string, number>();
    for (const p of replicas) {
      const node = (await t.nodeOf(p.metadata?.name ?? '')) ?? 'none';
      counts.set(node, (counts.get(node) ?? 0) + 1);
    }
    assert.deepEqual([...counts.entries()].sort(), [['a', 2], ['b', 2], ['c', 2]]);
    t.stop();
  });

  it('assumed pods prevent overcommit in a burst', async () => {
    const t = await setup([makeNode('only', { cpu: '2' })]);
    await t.create(...[1, 2, 3, 4, 5].map((i) => makePod(`p${i}`, { cpu: '1' })));
    // All five decisions happen before any binding is seen through the informer.
    await t.drain();
    const bound = [];
    for (const i of [1, 2, 3, 4, 5]) if (await t.nodeOf(`p${i}`)) bound.push(i);
    assert.equal(bound.length, 2);
    assert.equal(t.scheduler.queue.lengths.unschedulable, 3);
    t.stop();
  });

  it('marks an unschedulable pod with upstream wording and a FailedScheduling Event', async () => {
    const t = await setup([
      makeNode('control-plane', { cpu: '8', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }),
      makeNode('worker-1', { cpu: '2' }),
      makeNode('worker-2', { cpu: '2' }),
    ]);
    await t.create(makePod('big', { cpu: '4' }));
    await t.drain();
    const expected =
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. ' +
      'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
    assert.deepEqual(
      t.recorder.events.map((e) => [e.type, e.reason, e.message]),
      [['Warning', 'FailedScheduling', expected]],
    );
    await settle(() => t.clients.actions.some((a) => a.subresource === 'status'));
    const pod = await t.pods.get('default', 'big');
    const condition = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    assert.equal(condition?.status, 'False');
    assert.equal(condition?.reason, 'Unschedulable');
    assert.equal(condition?.message, expected);
    assert.equal(pod.spec?.nodeName, undefined);
    t.stop();
  });

  it('retries an unschedulable pod when a node that fits is added', async () => {
    const t = await setup([makeNode('small', { cpu: '1' })]);
    await t.create(makePod('p', { cpu: '2' }));
    await t.drain();
    assert.equal(t.scheduler.queue.where('default/p'), 'unschedulable');
    await t.clients.resource(NODES).create(undefined, makeNode('large', { cpu: '4' }) as KubeObject);
    // The first attempt's 1 s backoff has to pass before the pod is tried again.
    await settle(() => t.scheduler.queue.where('default/p') === 'backoff');
    t.clock.advance(1000);
    t.scheduler.queue.flush();
    await t.drain();
    assert.equal(await t.nodeOf('p'), 'large');
    t.stop();
  });

  it('ignores pods of other schedulers and frees resources when a bound pod is deleted', async () => {
    const t = await setup([makeNode('n', { cpu: '1' })]);
    await t.pods.create('default', makePod('foreign', { spec: { schedulerName: 'other' } }) as Pod & KubeObject);
    await t.create(makePod('first', { cpu: '1' }));
    await t.drain();
    assert.equal(await t.nodeOf('first'), 'n');
    assert.equal(t.scheduler.queue.where('default/foreign'), undefined);
    await settle(() => !t.scheduler.snapshot.isAssumed('default/first'));
    await t.create(makePod('second', { cpu: '1' }));
    await t.drain();
    assert.equal(t.scheduler.queue.where('default/second'), 'unschedulable');
    await t.pods.delete('default', 'first');
    await settle(() => t.scheduler.queue.where('default/second') !== 'unschedulable');
    t.clock.advance(1000);
    t.scheduler.queue.flush();
    await t.drain();
    assert.equal(await t.nodeOf('second'), 'n');
    t.stop();
  });

  it('preempts a lower-priority pod: condition, delete, Preempted Event, nomination, then binds', async () => {
    const t = await setup([makeNode('n', { cpu: '2' })]);
    await t.create(makePod('low', { cpu: '1500m', spec: { priority: 1 } }), makePod('peer', { cpu: '500m', spec: { priority: 1000 } }));
    await t.drain();
    assert.equal(await t.nodeOf('low'), 'n');
    await settle(() => !t.scheduler.snapshot.isAssumed('default/low') && !t.scheduler.snapshot.isAssumed('default/peer'));
    t.recorder.events.length = 0;
    t.clients.actions.length = 0;
    await t.create(makePod('high', { cpu: '1', spec: { priority: 1000 } }));
    await t.drain();
    const high = await t.pods.get('default', 'high');
    const low = (await t.pods.list('default')).items.find((p) => p.metadata?.name === 'low');
    assert.equal(low, undefined, 'the victim is deleted');
    // The DisruptionTarget condition (preemption-actions.test.ts) goes on before the delete.
    const onLow = t.clients.actions.filter((a) => a.name === 'low').map((a) => `${a.verb}${a.subresource ? `/${a.subresource}` : ''}`);
    assert.deepEqual(onLow, ['patch/status', 'delete']);
    assert.deepEqual(
      t.recorder.events.map((e) => [e.object.metadata?.name, e.type, e.reason, e.message]),
      [
        ['high', 'Warning', 'FailedScheduling', '0/1 nodes are available: 1 Insufficient cpu.'],
        ['low', 'Normal', 'Preempted', `Preempted by pod ${high.metadata?.uid} on node n`],
      ],
    );
    await settle(() => t.clients.actions.some((a) => a.name === 'high' && a.subresource === 'status'));
    assert.equal((await t.pods.get('default', 'high')).status?.nominatedNodeName, 'n');
    // The victim's deletion moved the preemptor back; it takes the room after its backoff.
    await settle(() => t.scheduler.queue.where('default/high') !== 'unschedulable');
    t.clock.advance(1000);
    t.scheduler.queue.flush();
    await t.drain();
    assert.equal(await t.nodeOf('high'), 'n');
    assert.equal(t.scheduler.nominator.size, 0);
    t.stop();
  });

  it('pops higher priority first and does not preempt for an equal-priority pod', async () => {
    const t = await setup([makeNode('n', { cpu: '1' })]);
    await t.create(makePod('first-low', { cpu: '1', spec: { priority: 1 }, creationTimestamp: '2026-01-01T00:00:00Z' }),
      makePod('later-high', { cpu: '1', spec: { priority: 5 }, creationTimestamp: '2026-01-02T00:00:00Z' }));
    await t.drain();
    assert.equal(await t.nodeOf('later-high'), 'n');
    assert.equal(await t.nodeOf('first-low'), undefined);
    assert.equal(t.scheduler.queue.where('default/first-low'), 'unschedulable');
    assert.equal(t.clients.actions.filter((a) => a.verb === 'delete').length, 0);
    t.stop();
  });

  it('run() schedules pods as they arrive and stops on abort', async () => {
    const clock = new FakeClock();
    const clients = new FakeClientSet({ clock });
    clients.seed(NODES, makeNode('n1') as KubeObject);
    const informers = new SharedInformerFactory({ clients, logger: silentLogger() });
    const scheduler = new Scheduler({ clients, informers, clock, logger: silentLogger(), recorder: new FakeEventRecorder() });
    const controller = new AbortController();
    const running = scheduler.run(controller.signal);
    const pods = clients.resource<Pod & KubeObject>(PODS);
    await pods.create('default', makePod('a') as Pod & KubeObject);
    await pods.create('default', makePod('b') as Pod & KubeObject);
    let bound = 0;
    await settle(() => {
      bound = clients.actions.filter((a) => a.subresource === 'binding').length;
      return bound === 2;
    });
    controller.abort();
    await running;
    assert.equal((await pods.get('default', 'b')).spec?.nodeName, 'n1');
  });
});

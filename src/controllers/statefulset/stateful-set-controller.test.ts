import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PODS, STATEFUL_SETS } from '../../client/resource-types.js';
import { ControllerHarness } from '../framework/controller-harness.fixture.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { statefulSet } from './stateful-set-harness.fixture.js';
import type { StatefulSetObject } from './stateful-set-spec.js';
import { statefulSetController } from './stateful-set-controller.js';

describe('statefulSetController wiring', () => {
  let harness: ControllerHarness | undefined;
  afterEach(() => harness?.stop());

  async function markReady(h: ControllerHarness, name: string): Promise<void> {
    const pods = h.clients.resource<Pod>(PODS);
    const pod = await pods.get('default', name);
    const since = h.clock.now().toISOString();
    await pods.updateStatus('default', { ...pod, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since }] } });
  }

  async function podNames(h: ControllerHarness): Promise<string[]> {
    return (await h.clients.resource<Pod>(PODS).list('default')).items.map((p) => p.metadata!.name!).sort();
  }

  it('pod events drive ordered creation: each Ready pod lets the next one be created', async () => {
    harness = new ControllerHarness(statefulSetController);
    const h = harness;
    await h.start();
    await h.clients.resource<StatefulSetObject>(STATEFUL_SETS).create('default', statefulSet({ replicas: 2 }));
    await h.drain();
    assert.deepEqual(await podNames(h), ['web-0']);
    await markReady(h, 'web-0');
    await h.drain();
    assert.deepEqual(await podNames(h), ['web-0', 'web-1']);
    await markReady(h, 'web-1');
    await h.drain();
    const status = (await h.clients.resource<StatefulSetObject>(STATEFUL_SETS).get('default', 'web')).status;
    assert.equal(status?.readyReplicas, 2);
  });

  it('a deleted pod is recreated once its deletion is observed', async () => {
    harness = new ControllerHarness(statefulSetController);
    const h = harness;
    await h.start();
    await h.clients.resource<StatefulSetObject>(STATEFUL_SETS).create('default', statefulSet({ replicas: 1 }));
    await h.drain();
    await markReady(h, 'web-0');
    await h.drain();
    await h.clients.resource<Pod>(PODS).delete('default', 'web-0');
    await h.drain();
    assert.deepEqual(await podNames(h), ['web-0']);
    assert.equal(h.clients.writes('create', 'pods').length, 2);
  });

  it('a delete the controller made is observed, so a later scale-up is not held back', async () => {
    harness = new ControllerHarness(statefulSetController);
    const h = harness;
    await h.start();
    const sets = h.clients.resource<StatefulSetObject>(STATEFUL_SETS);
    await sets.create('default', statefulSet({ replicas: 2, podManagementPolicy: 'Parallel' }));
    await h.drain();
    const scale = async (replicas: number): Promise<void> => {
      const set = await sets.get('default', 'web');
      await sets.update('default', { ...set, spec: { ...set.spec!, replicas } });
      await h.drain();
    };
    await scale(1);
    assert.deepEqual(await podNames(h), ['web-0']);
    await scale(2);
    assert.deepEqual(await podNames(h), ['web-0', 'web-1']);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiStatusError } from '../../client/api-status-error.js';
import { PODS } from '../../client/resource-types.js';
import { newControllerRef } from '../framework/controller-ref.js';
import { podTemplate, RolloutHarness } from './rollout-harness.fixture.js';
import type { PodObject } from './rollout-types.js';

/**
 * The harness plus pods: `pods()` makes every ReplicaSet's pods exist (Ready), like the RS
 * controller + kubelet. A finalizer keeps a deleted pod terminating until the next `pods()`.
 */
class RestartHarness extends RolloutHarness {
  readonly podClient = this.clients.resource<PodObject>(PODS);
  private serial = 0;

  /** Removes terminating pods and creates Ready ones up to each ReplicaSet's size (created "now"). */
  async pods(): Promise<void> {
    for (const pod of (await this.podClient.list('default')).items) {
      if (pod.metadata?.deletionTimestamp !== undefined) {
        // The kubelet is done: dropping the finalizer removes the terminating pod.
        const copy = structuredClone(pod);
        (copy.metadata ??= {}).finalizers = [];
        await this.podClient.update('default', copy);
      }
    }
    for (const rs of (await this.rsClient.list('default')).items) {
      const hash = rs.metadata?.labels?.['rollouts-pod-template-hash'] ?? '';
      const mine = (await this.podClient.list('default', { labelSelector: `rollouts-pod-template-hash=${hash}` })).items
        .filter((p) => p.metadata?.deletionTimestamp === undefined);
      for (let i = mine.length; i < (rs.spec?.replicas ?? 0); i++) {
        await this.podClient.create('default', {
          metadata: {
            name: `${rs.metadata?.name ?? ''}-${this.serial++}`, namespace: 'default',
            labels: { app: 'web', 'rollouts-pod-template-hash': hash }, finalizers: ['k8ts.test/graceful'], ownerReferences: [newControllerRef(rs, { apiVersion: 'apps/v1', kind: 'ReplicaSet' })],
          },
          spec: { containers: [{ name: 'app', image: 'nginx' }] },
          status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
        });
      }
    }
  }

  async podNames(): Promise<string[]> {
    return (await this.podClient.list('default')).items.filter((p) => p.metadata?.deletionTimestamp === undefined).map((p) => p.metadata?.name ?? '').sort();
  }

  deletes(): number {
    return this.clients.actions.filter((a) => a.verb === 'delete' && a.resource === 'pods').length;
  }
}

async function healthy(spec: Parameters<RolloutHarness['create']>[0]): Promise<RestartHarness> {
  const h = new RestartHarness();
  await h.create({ replicas: 4, ...spec });
  await h.run(4);
  await h.pods();
  await h.run(2);
  return h;
}

const canary = { strategy: { canary: { maxUnavailable: 2, maxSurge: 0 } } };

describe('spec.restartAt', () => {
  it('waits for restartAt, then replaces old pods at most maxUnavailable at a time, then sets restartedAt', async () => {
    const h = await healthy(canary);
    const before = await h.podNames();
    assert.equal(before.length, 4);
    h.clock.advance(10_000);
    const restartAt = new Date(h.clock.now().getTime() + 5_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await h.edit((ro) => { ro.spec = { ...ro.spec, restartAt }; });

    // Not yet: requeued for restartAt.
    const early = await h.reconcile();
    assert.equal(h.deletes(), 0);
    assert.equal(early.requeueAfterMs, 5_000);
    assert.equal((await h.rollout()).status?.phase, 'Progressing');

    h.clock.advance(6_000);
    await h.reconcile();
    assert.equal(h.deletes(), 2, 'maxUnavailable 2: two pods at once');
    await h.reconcile();
    assert.equal(h.deletes(), 2, 'nothing more while two pods are terminating');

    await h.pods(); // the ReplicaSet replaces them
    await h.reconcile();
    assert.equal(h.deletes(), 4);
    await h.pods();
    await h.reconcile();
    const ro = await h.rollout();
    assert.equal(h.deletes(), 4, 'no pod is restarted twice');
    assert.equal(ro.status?.restartedAt, restartAt);
    assert.equal(ro.status?.phase, 'Healthy');
    const after = await h.podNames();
    assert.equal(after.length, 4);
    assert.deepEqual(after.filter((n) => before.includes(n)), [], 'every pod is new');
    assert.ok(h.recorder.events.some((e) => e.reason === 'RolloutRestarted'));

    await h.reconcile();
    assert.equal(h.deletes(), 4, 'done: restartedAt >= restartAt stops it');
  });

  it('blue/green restarts one pod at a time', async () => {
    const h = new RestartHarness();
    await h.service('active');
    await h.create({ replicas: 3, strategy: { blueGreen: { activeService: 'active' } } });
    await h.run(4);
    await h.pods();
    await h.run(2);
    h.clock.advance(10_000);
    await h.edit((ro) => { ro.spec = { ...ro.spec, restartAt: h.clock.now().toISOString() }; });
    await h.reconcile();
    assert.equal(h.deletes(), 1);
  });

  it('waits while a ReplicaSet is short of available pods', async () => {
    const h = await healthy(canary);
    h.clock.advance(10_000);
    await h.edit((ro) => { ro.spec = { ...ro.spec, restartAt: h.clock.now().toISOString() }; });
    const rs = (await h.rsClient.list('default')).items[0];
    assert.ok(rs);
    await h.rsClient.updateStatus('default', { ...rs, status: { replicas: 4, readyReplicas: 3, availableReplicas: 3 } });
    await h.reconcile();
    assert.equal(h.deletes(), 0);
  });

  it('evicts through pods/eviction, and a 429 from a PodDisruptionBudget stops the pass until later', async () => {
    const h = await healthy(canary);
    h.clock.advance(10_000);
    await h.edit((ro) => { ro.spec = { ...ro.spec, restartAt: h.clock.now().toISOString() }; });
    const budgetSays = new ApiStatusError({ code: 429, reason: 'TooManyRequests', message: "Cannot evict pod as it would violate the pod's disruption budget." });
    const stop = h.clients.fail('create', 'pods/eviction', budgetSays);
    const waiting = await h.reconcile();
    assert.equal(h.deletes(), 0, 'the budget holds');
    assert.equal(h.clients.actions.filter((a) => a.verb === 'create' && a.subresource === 'eviction').length, 1, 'one refusal ends the pass');
    assert.ok(waiting.requeueAfterMs !== undefined);
    assert.ok(!h.recorder.events.some((e) => e.reason === 'RestartingPod'));
    stop();
    await h.reconcile();
    assert.equal(h.deletes(), 2, 'the budget allows it again: evicted');
  });

  it('a new template during a restart cancels it', async () => {
    const h = await healthy(canary);
    h.clock.advance(10_000);
    const restartAt = h.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
    await h.edit((ro) => { ro.spec = { ...ro.spec, restartAt, template: podTemplate('nginx:2') }; });
    await h.reconcile();
    assert.equal((await h.rollout()).status?.restartedAt, restartAt);
    assert.equal(h.deletes(), 0);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeploymentHarness, template } from './deployment-harness.fixture.js';
import { getCondition } from './deployment-conditions.js';
import { resolveFenceposts } from './rollout-math.js';

/**
 * Drives a rollout to the end: reconcile, then pods appear/disappear, then at most `readyPerStep`
 * pods per ReplicaSet become available, and so on. Checks the bounds after every move.
 */
async function driveRollout(h: DeploymentHarness, replicas: number, surge: number | string, unavailable: number | string, readyPerStep: number): Promise<number> {
  const [maxSurge, maxUnavailable] = resolveFenceposts(surge, unavailable, replicas);
  const ceiling = replicas + maxSurge;
  const floor = replicas - Math.min(maxUnavailable, replicas);
  for (let step = 1; step <= 200; step++) {
    await h.reconcile();
    const sets = await h.replicaSets();
    const total = sets.reduce((sum, rs) => sum + (rs.spec?.replicas ?? 0), 0);
    assert.ok(total <= ceiling, `step ${step}: ${total} pods wanted > ${ceiling} (${h.sizes(sets).join('/')})`);
    await h.settle(0);
    const available = (await h.replicaSets()).reduce((sum, rs) => sum + (rs.status?.availableReplicas ?? 0), 0);
    assert.ok(available >= floor, `step ${step}: ${available} available < ${floor}`);
    await h.settle(readyPerStep);
    const d = await h.deployment();
    const s = d.status;
    if (s?.updatedReplicas === replicas && s.replicas === replicas && s.availableReplicas === replicas && s.observedGeneration === d.metadata?.generation) {
      const old = sets.slice(0, -1);
      if (old.every((rs) => (rs.spec?.replicas ?? 0) === 0)) return step;
    }
  }
  assert.fail('rollout did not finish in 200 steps');
}

const TABLE: [replicas: number, surge: number | string, unavailable: number | string][] = [
  [10, '25%', '25%'],
  [3, 1, 0],
  [3, 0, 1],
  [5, '0%', '0%'],
  [1, 0, 0],
  [4, '50%', '50%'],
  [10, '30%', 0],
  [7, 2, '40%'],
];

for (const [replicas, surge, unavailable] of TABLE) {
  test(`rolling update replicas=${replicas} maxSurge=${surge} maxUnavailable=${unavailable} stays within bounds`, async () => {
    const h = new DeploymentHarness();
    await h.createDeployment({ replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } });
    await h.reconcile();
    await h.settle();
    await h.reconcile();
    const [first] = await h.replicaSets();
    assert.equal(first?.spec?.replicas, replicas);
    assert.equal(getCondition((await h.deployment()).status, 'Available')?.reason, 'MinimumReplicasAvailable');

    h.clock.advance(1000);
    await h.editSpec((spec) => {
      spec.template = template('nginx:2');
    });
    await driveRollout(h, replicas, surge, unavailable, 1);
    const sets = await h.replicaSets();
    assert.equal(sets.length, 2);
    assert.deepEqual(h.sizes(sets), [0, replicas]);
    const d = await h.deployment();
    assert.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
    const progressing = getCondition(d.status, 'Progressing');
    assert.equal(progressing?.reason, 'NewReplicaSetAvailable');
    assert.equal(progressing?.message, `ReplicaSet "${sets[1]?.metadata?.name ?? ''}" has successfully progressed.`);
  });
}

test('first steps of 10 / 25% / 25% follow the worked example: new 3 and old 8, then new 5', async () => {
  const h = new DeploymentHarness();
  await h.createDeployment({ replicas: 10 });
  await h.reconcile();
  await h.settle();
  await h.reconcile();
  h.clock.advance(1000);
  await h.editSpec((spec) => {
    spec.template = template('nginx:2');
  });
  // One pass creates the new RS at 3 (13 - 10 room) and lets 13 - 8 - 3 = 2 old pods go.
  await h.reconcile();
  assert.deepEqual(h.sizes(await h.replicaSets()), [8, 3]);
  await h.settle(0);
  // 11 pods exist: 2 more fit under 13; no old pod may go while the new ones are unavailable.
  await h.reconcile();
  assert.deepEqual(h.sizes(await h.replicaSets()), [8, 5]);
  await h.settle(0);
  await h.reconcile();
  assert.deepEqual(h.sizes(await h.replicaSets()), [8, 5], 'stuck until new pods become available');
  const [oldRS, newRS] = await h.replicaSets();
  const messages = h.recorder.events.filter((e) => e.reason === 'ScalingReplicaSet').map((e) => e.message);
  assert.deepEqual(messages, [
    `Scaled up replica set ${oldRS?.metadata?.name ?? ''} from 0 to 10`,
    `Scaled up replica set ${newRS?.metadata?.name ?? ''} from 0 to 3`,
    `Scaled down replica set ${oldRS?.metadata?.name ?? ''} from 10 to 8`,
    `Scaled up replica set ${newRS?.metadata?.name ?? ''} from 3 to 5`,
  ]);
});

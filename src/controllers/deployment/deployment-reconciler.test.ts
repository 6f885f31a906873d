import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPodTemplateSpec } from '../../api/defaults/pod-spec.js';
import type { JsonRecord } from '../../api/validation/json-access.js';
import { PODS, REPLICASETS } from '../../client/resource-types.js';
import { DeploymentHarness, template } from './deployment-harness.fixture.js';
import { getCondition } from './deployment-conditions.js';
import type { PodObject, ReplicaSetObject } from './deployment-types.js';
import { computePodTemplateHash } from './pod-template-hash.js';

/** Reconcile and let every pod become available until nothing changes (or `limit` passes). */
async function converge(h: DeploymentHarness, limit = 50): Promise<void> {
  for (let i = 0; i < limit; i++) {
    const before = h.fake.actions.length;
    await h.reconcile();
    await h.settle();
    const writes = h.fake.actions.slice(before).filter((a) => !(a.resource === 'replicasets' && a.subresource === 'status'));
    if (writes.length === 0) return;
  }
}

async function rollTo(h: DeploymentHarness, image: string): Promise<void> {
  h.clock.advance(1000);
  await h.editSpec((spec) => {
    spec.template = template(image);
  });
  await converge(h);
}

test('a new deployment gets a hash-named ReplicaSet with labels, selector, annotations and owner', async () => {
  const h = new DeploymentHarness();
  const created = await h.createDeployment(
    { replicas: 2 },
    { annotations: { 'kubernetes.io/change-cause': 'first', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
  );
  await h.reconcile();
  const [rs] = await h.replicaSets();
  const hash = computePodTemplateHash(template('nginx:1'));
  assert.equal(rs?.metadata?.name, `web-${hash}`);
  assert.equal(rs?.metadata?.labels?.['pod-template-hash'], hash);
  assert.deepEqual(rs?.spec?.selector.matchLabels, { app: 'web', 'pod-template-hash': hash });
  assert.equal(rs?.spec?.template?.metadata?.labels?.['pod-template-hash'], hash);
  assert.equal(rs?.spec?.replicas, 2);
  const annotations = rs?.metadata?.annotations ?? {};
  assert.equal(annotations['deployment.kubernetes.io/revision'], '1');
  assert.equal(annotations['deployment.kubernetes.io/desired-replicas'], '2');
  assert.equal(annotations['deployment.kubernetes.io/max-replicas'], '3');
  assert.equal(annotations['kubernetes.io/change-cause'], 'first');
  assert.equal(annotations['kubectl.kubernetes.io/last-applied-configuration'], undefined);
  assert.deepEqual(rs?.metadata?.ownerReferences, [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: created.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true },
  ]);
  const d = await h.deployment();
  assert.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '1');
  assert.equal(d.metadata?.generation, 1, 'writing the revision annotation does not bump generation');
  const progressing = getCondition(d.status, 'Progressing');
  assert.equal(progressing?.reason, 'NewReplicaSetCreated');
  assert.equal(progressing?.message, `Created new replica set "web-${hash}"`);
  assert.deepEqual(h.recorder.events.map((e) => e.message), [`Scaled up replica set web-${hash} from 0 to 2`]);

  await h.settle();
  await h.reconcile();
  const status = (await h.deployment()).status;
  assert.deepEqual(
    [status?.observedGeneration, status?.replicas, status?.updatedReplicas, status?.readyReplicas, status?.availableReplicas, status?.unavailableReplicas],
    [1, 2, 2, 2, 2, 0],
  );
  assert.equal(getCondition(status, 'Available')?.status, 'True');
  assert.equal(getCondition(status, 'Progressing')?.reason, 'NewReplicaSetAvailable');
  assert.equal(getCondition(status, 'Progressing')?.message, `ReplicaSet "web-${hash}" has successfully progressed.`);
  // Settled: a further pass writes nothing.
  const before = h.fake.actions.length;
  await h.reconcile();
  assert.equal(h.fake.actions.length, before);
});

test('Recreate scales old ReplicaSets to 0, waits for their pods to go, then scales up the new one', async () => {
  const h = new DeploymentHarness();
  await h.createDeployment({ replicas: 3, strategy: { type: 'Recreate' } });
  await converge(h);
  const [oldRS] = await h.replicaSets();
  const [pod] = h.fake.seed<PodObject>(PODS, {
    metadata: {
      name: 'web-old-1', namespace: 'default', labels: { app: 'web', 'pod-template-hash': oldRS?.metadata?.labels?.['pod-template-hash'] ?? '' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: oldRS?.metadata?.name ?? '', uid: oldRS?.metadata?.uid ?? '', controller: true }],
    },
    spec: { containers: [{ name: 'app', image: 'nginx:1' }] },
    status: { phase: 'Running' },
  });
  h.recorder.clear();
  h.clock.advance(1000);
  await h.editSpec((spec) => {
    spec.template = template('nginx:2');
  });
  await h.reconcile();
  assert.deepEqual(h.sizes(await h.replicaSets()), [0], 'old scaled down, nothing new yet');
  await h.settle();
  await h.reconcile();
  assert.equal((await h.replicaSets()).length, 1, 'an old pod still runs: wait');
  await h.pods.delete('default', pod?.metadata?.name ?? '');
  await h.reconcile();
  const sets = await h.replicaSets();
  assert.deepEqual(h.sizes(sets), [0, 3]);
  assert.deepEqual(h.recorder.events.map((e) => e.message), [
    `Scaled down replica set ${oldRS?.metadata?.name ?? ''} from 3 to 0`,
    `Scaled up replica set ${sets[1]?.metadata?.name ?? ''} from 0 to 3`,
  ]);
});

test('rollout undo: the old template comes back, its ReplicaSet is reused with revision max+1', async () => {
  const h = new DeploymentHarness();
  await h.createDeployment({ replicas: 2 });
  await converge(h);
  await rollTo(h, 'nginx:2');
  const [v1, v2] = await h.replicaSets();
  assert.deepEqual(h.sizes([v1!, v2!]), [0, 2]);

  // What kubectl sends: the RS template without pod-template-hash, defaults filled in, creationTimestamp null.
  const undo = structuredClone(v1?.spec?.template) as JsonRecord;
  defaultPodTemplateSpec(undo);
  const meta = undo.metadata as JsonRecord & { labels: Record<string, string> };
  delete meta.labels['pod-template-hash'];
  meta.creationTimestamp = null;
  h.clock.advance(1000);
  await h.editSpec((spec) => {
    spec.template = undo;
  });
  await converge(h);
  const sets = await h.replicaSets();
  assert.equal(sets.length, 2, 'no third ReplicaSet');
  const reused = sets.find((rs) => rs.metadata?.uid === v1?.metadata?.uid);
  assert.equal(reused?.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3');
  assert.equal(reused?.metadata?.annotations?.['deployment.kubernetes.io/revision-history'], '1');
  assert.equal(reused?.spec?.replicas, 2);
  assert.equal(sets.find((rs) => rs.metadata?.uid === v2?.metadata?.uid)?.spec?.replicas, 0);
  assert.equal((await h.deployment()).metadata?.annotations?.['deployment.kubernetes.io/revision'], '3');
});

test('pause stops rollouts but not scaling; resume says so and rolls out', async () => {
  const h = new DeploymentHarness();
  await h.createDeployment({ replicas: 2 });
  await converge(h);
  await h.editSpec((spec) => {
    spec.paused = true;
  });
  await h.reconcile();
  const paused = getCondition((await h.deployment()).status, 'Progressing');
  assert.deepEqual([paused?.status, paused?.reason, paused?.message], ['Unknown', 'DeploymentPaused', 'Deployment is paused']);

  await h.editSpec((spec) => {
    spec.template = template('nginx:2');
    spec.replicas = 4;
  });
  await converge(h);
  const sets = await h.replicaSets();
  assert.equal(sets.length, 1, 'no rollout while paused');
  assert.equal(sets[0]?.spec?.replicas, 4, 'scaling works while paused');
  assert.equal(getCondition((await h.deployment()).status, 'Progressing')?.reason, 'DeploymentPaused');

  h.clients.statusWrites.length = 0;
  await h.editSpec((spec) => {
    delete spec.paused;
  });
  await h.reconcile();
  const resumed = h.clients.statusWrites.map((s) => getCondition(s, 'Progressing')?.reason);
  assert.equal(resumed[0], 'DeploymentResumed');
  assert.equal((await h.replicaSets()).length, 2, 'the rollout starts');
});

test('proportional scaling during a rollout spreads the change by size, leftovers to the largest', async () => {
  const h = new DeploymentHarness();
  await h.createDeployment({ replicas: 10 });
  await converge(h);
  h.clock.advance(1000);
  await h.editSpec((spec) => {
    spec.template = template('nginx:2');
  });
  await h.reconcile();
  await h.settle(0);
  assert.deepEqual(h.sizes(await h.replicaSets()), [8, 3]);
  await h.editSpec((spec) => {
    spec.replicas = 20;
  });
  await h.reconcile();
  // allowed 20 + 5 = 25, toAdd 14: old round(8*25/13)-8 = +7, new round(3*25/13)-3 = +3, leftover 4 to old.
  const sets = await h.replicaSets();
  assert.deepEqual(h.sizes(sets), [19, 6]);
  for (const rs of sets) {
    assert.equal(rs.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'], '20');
    assert.equal(rs.metadata?.annotations?.['deployment.kubernetes.io/max-replicas'], '25');
  }
  // Back to 10: allowed 13, toAdd -12: old round(19*13/25)-19 = -9, new round(6*13/25)-6 = -3.
  await h.settle(0);
  await h.editSpec((spec) => {
    spec.replicas = 10;
  });
  await h.reconcile();
  const after = h.sizes(await h.replicaSets());
  assert.equal(after[0]! + after[1]!, 13);
  assert.deepEqual(after, [10, 3]);
});

test('no progress for progressDeadlineSeconds -> ProgressDeadlineExceeded, after a requeue at the deadline', async () => {
  const h = new DeploymentHarness();
  await h.createDeployment({ replicas: 3, progressDeadlineSeconds: 60 });
  await converge(h);
  h.clock.advance(1000);
  await h.editSpec((spec) => {
    spec.template = template('broken:1');
  });
  let result = await h.reconcile();
  await h.settle(0);
  result = await h.reconcile();
  await h.settle(0);
  result = await h.reconcile();
  const stuck = getCondition((await h.deployment()).status, 'Progressing');
  assert.equal(stuck?.status, 'True');
  assert.equal(result.requeueAfterMs, 61_000);
  h.clock.advance(30_000);
  result = await h.reconcile();
  assert.equal(getCondition((await h.deployment()).status, 'Progressing')?.reason, stuck?.reason, 'not yet');
  assert.equal(result.requeueAfterMs, 31_000);
  h.clock.advance(31_000);
  await h.reconcile();
  const sets = await h.replicaSets();
  const timedOut = getCondition((await h.deployment()).status, 'Progressing');
  assert.deepEqual(
    [timedOut?.status, timedOut?.reason, timedOut?.message],
    ['False', 'ProgressDeadlineExceeded', `ReplicaSet "${sets[1]?.metadata?.name ?? ''}" has timed out progressing.`],
  );
  assert.equal(getCondition((await h.deployment()).status, 'Available')?.status, 'True', 'old pods still serve');
});

test('revisionHistoryLimit deletes the oldest scaled-down ReplicaSets beyond the limit', async () => {
  const h = new DeploymentHarness();
  await h.createDeployment({ replicas: 2, revisionHistoryLimit: 1 });
  await converge(h);
  await rollTo(h, 'nginx:2');
  await rollTo(h, 'nginx:3');
  await converge(h);
  const sets = await h.replicaSets();
  assert.deepEqual(sets.map((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision']), ['2', '3']);
  assert.deepEqual(h.sizes(sets), [0, 2]);
  assert.equal(h.fake.writes('delete', 'replicasets').length, 1);
});

test('an empty selector is reported and nothing is created', async () => {
  const h = new DeploymentHarness();
  await h.createDeployment({ selector: {} });
  await h.reconcile();
  assert.equal((await h.replicaSets()).length, 0);
  assert.deepEqual(h.recorder.events.map((e) => [e.type, e.reason]), [['Warning', 'SelectingAll']]);
  assert.equal((await h.deployment()).status?.observedGeneration, 1);
});

test('orphans matching the selector are adopted (and reused when the template matches); non-matching ones released', async () => {
  const h = new DeploymentHarness();
  const [orphan] = h.fake.seed<ReplicaSetObject>(REPLICASETS, {
    metadata: { name: 'hand-made', namespace: 'default', labels: { app: 'web' } },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template('nginx:1') },
  });
  const d = await h.createDeployment({ replicas: 3 });
  h.fake.seed<ReplicaSetObject>(REPLICASETS, {
    metadata: {
      name: 'stray', namespace: 'default', labels: { app: 'other' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata?.uid ?? '', controller: true }],
    },
    spec: { replicas: 0, selector: { matchLabels: { app: 'other' } }, template: template('nginx:0') },
  });
  await h.reconcile();
  const adopted = await h.replicaSetClient.get('default', 'hand-made');
  assert.equal(adopted.metadata?.ownerReferences?.[0]?.uid, d.metadata?.uid);
  assert.equal(adopted.metadata?.uid, orphan?.metadata?.uid);
  assert.equal((await h.replicaSetClient.get('default', 'stray')).metadata?.ownerReferences?.length, 0);
  assert.equal(h.fake.writes('create', 'replicasets').length, 0, 'the adopted RS is the new RS');
});

test('a ReplicaFailure of the new ReplicaSet is surfaced on the deployment, and cleared with it', async () => {
  const h = new DeploymentHarness();
  await h.createDeployment({ replicas: 2 });
  await h.reconcile();
  const [rs] = await h.replicaSets();
  const failure = { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "web-x" is forbidden: quota' };
  await h.replicaSetClient.updateStatus('default', { ...rs!, status: { replicas: 0, conditions: [failure] } });
  await h.reconcile();
  const surfaced = getCondition((await h.deployment()).status, 'ReplicaFailure');
  assert.deepEqual([surfaced?.status, surfaced?.reason, surfaced?.message], ['True', 'FailedCreate', failure.message]);
  await h.settle();
  await h.reconcile();
  assert.equal(getCondition((await h.deployment()).status, 'ReplicaFailure'), undefined);
});

import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatefulSetFixture, statefulSet } from './stateful-set-harness.fixture.js';

describe('StatefulSetReconciler: updates, revisions and status', () => {
  let f: StatefulSetFixture;
  beforeEach(() => { f = new StatefulSetFixture(); });

  async function revisionLabel(pod: string): Promise<string> {
    return (await f.pod(pod)).metadata?.labels?.['controller-revision-hash'] ?? '';
  }

  async function image(pod: string): Promise<string> {
    return (await f.pod(pod)).spec?.containers[0]?.image ?? '';
  }

  it('reports what kubectl rollout status reads once the set is rolled out', async () => {
    f.seed(statefulSet({ replicas: 3 }));
    await f.rollOut();
    await f.pass();
    const [revision] = await f.liveRevisions();
    const name = revision!.metadata!.name!;
    assert.deepEqual((await f.liveSet()).status, {
      replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, availableReplicas: 3,
      currentRevision: name, updateRevision: name, collisionCount: 0, observedGeneration: 1,
    });
  });

  it('rolling update replaces the highest ordinal first, one pod at a time, waiting for Ready', async () => {
    f.seed(statefulSet({ replicas: 3 }));
    await f.rollOut();
    const [first] = await f.liveRevisions();
    await f.setImage('nginx:2');
    await f.pass();
    const second = (await f.liveRevisions())[1]!;
    assert.deepEqual(f.podWrites('delete'), ['web-2']);
    let status = (await f.liveSet()).status;
    assert.equal(status?.currentRevision, first!.metadata!.name);
    assert.equal(status?.updateRevision, second.metadata!.name);
    assert.equal(status?.currentReplicas, 2, 'the pod just deleted no longer counts as current');
    assert.equal(status?.observedGeneration, 2);

    await f.pass();
    assert.equal(await image('web-2'), 'nginx:2');
    assert.equal(await revisionLabel('web-2'), second.metadata!.name);
    await f.pass();
    assert.deepEqual(f.podWrites('delete'), ['web-2'], 'web-1 waits until the new web-2 is Ready');
    await f.markReady('web-2');
    await f.pass();
    assert.deepEqual(f.podWrites('delete'), ['web-2', 'web-1']);

    await f.rollOut();
    assert.deepEqual(f.podWrites('delete'), ['web-2', 'web-1', 'web-0']);
    for (const pod of ['web-0', 'web-1', 'web-2']) assert.equal(await image(pod), 'nginx:2');
    status = (await f.liveSet()).status;
    assert.equal(status?.currentRevision, second.metadata!.name, 'the update revision became current');
    assert.equal(status?.currentReplicas, 3);
    assert.equal(status?.updatedReplicas, 3);
  });

  it('a partition keeps lower ordinals at the current revision, even when recreated', async () => {
    f.seed(statefulSet({ replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }));
    await f.rollOut();
    const [first] = await f.liveRevisions();
    await f.setImage('nginx:2');
    await f.rollOut();
    assert.deepEqual(f.podWrites('delete'), ['web-2']);
    assert.deepEqual([await image('web-0'), await image('web-1'), await image('web-2')], ['nginx:1', 'nginx:1', 'nginx:2']);
    const status = (await f.liveSet()).status;
    assert.equal(status?.updatedReplicas, 1);
    assert.equal(status?.currentReplicas, 2);
    assert.equal(status?.currentRevision, first!.metadata!.name, 'a partitioned rollout never completes');

    await f.deletePod('web-0');
    await f.rollOut();
    assert.equal(await image('web-0'), 'nginx:1');
    assert.equal(await revisionLabel('web-0'), first!.metadata!.name);

    await f.editSet((set) => { set.spec!.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }; });
    await f.rollOut();
    assert.deepEqual([await image('web-0'), await image('web-1')], ['nginx:2', 'nginx:2']);
  });

  it('with the default strategy (partition 0), a member deleted mid-rollout comes back at the update revision', async () => {
    f.seed(statefulSet({ replicas: 3 }));
    await f.rollOut();
    await f.setImage('nginx:2');
    await f.pass();
    await f.deletePod('web-0');
    await f.pass();
    assert.equal(await image('web-0'), 'nginx:2');
  });

  it('without a rollingUpdate block, a member below status.currentReplicas is recreated at the current revision', async () => {
    f.seed(statefulSet({ replicas: 3, updateStrategy: { type: 'RollingUpdate' } }));
    await f.rollOut();
    await f.setImage('nginx:2');
    await f.pass();
    assert.deepEqual(f.podWrites('delete'), ['web-2']);
    assert.equal((await f.liveSet()).status?.currentReplicas, 2);
    await f.deletePod('web-0');
    await f.pass();
    assert.equal(await image('web-0'), 'nginx:1', 'upstream keeps ordinals below currentReplicas current');
    await f.rollOut();
    assert.deepEqual([await image('web-0'), await image('web-1'), await image('web-2')], ['nginx:2', 'nginx:2', 'nginx:2']);
  });

  it('partition counts from ordinals.start', async () => {
    f.seed(statefulSet({ replicas: 3, ordinals: { start: 10 }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }));
    await f.rollOut();
    await f.setImage('nginx:2');
    await f.rollOut();
    assert.deepEqual([await image('web-10'), await image('web-11'), await image('web-12')], ['nginx:1', 'nginx:2', 'nginx:2']);
    await f.deletePod('web-10');
    await f.rollOut();
    assert.equal(await image('web-10'), 'nginx:1', 'recreated below the partition: current revision');
  });

  it('OnDelete leaves pods alone; a pod deleted by hand comes back at the update revision', async () => {
    f.seed(statefulSet({ replicas: 2, updateStrategy: { type: 'OnDelete' } }));
    await f.rollOut();
    const [first] = await f.liveRevisions();
    await f.setImage('nginx:2');
    await f.rollOut();
    assert.deepEqual(f.podWrites('delete'), []);
    await f.deletePod('web-1');
    await f.rollOut();
    const second = (await f.liveRevisions())[1]!;
    assert.deepEqual([await image('web-0'), await image('web-1')], ['nginx:1', 'nginx:2']);
    assert.equal(await revisionLabel('web-1'), second.metadata!.name);
    const status = (await f.liveSet()).status;
    assert.equal(status?.updatedReplicas, 1);
    assert.equal(status?.currentRevision, first!.metadata!.name);
  });

  it('records each template as a ControllerRevision kubectl rollout history can read', async () => {
    const set = f.seed({
      ...statefulSet({ replicas: 1 }),
      metadata: { name: 'web', namespace: 'default', annotations: { 'kubernetes.io/change-cause': 'first' } },
    });
    await f.pass();
    const [revision] = await f.liveRevisions();
    const hash = revision!.metadata!.labels!['controller.kubernetes.io/hash']!;
    assert.equal(revision!.metadata!.name, `web-${hash}`);
    assert.deepEqual(revision!.metadata!.labels, { app: 'web', 'controller.kubernetes.io/hash': hash });
    assert.deepEqual(revision!.metadata!.annotations, { 'kubernetes.io/change-cause': 'first' });
    assert.deepEqual(revision!.metadata!.ownerReferences, [
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata!.uid, controller: true, blockOwnerDeletion: true },
    ]);
    assert.equal(revision!.revision, 1);
    assert.equal(JSON.stringify(revision!.data),
      '{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"app":"web"}},'
      + '"spec":{"containers":[{"image":"nginx:1","name":"nginx","resources":{}}]}}}}');
  });

  it('a template that comes back reuses its revision under the next number', async () => {
    f.seed(statefulSet({ replicas: 1 }));
    await f.rollOut();
    await f.setImage('nginx:2');
    await f.rollOut();
    const [first, second] = await f.liveRevisions();
    await f.setImage('nginx:1'); // kubectl rollout undo does this
    await f.rollOut();
    const revisions = await f.liveRevisions();
    assert.deepEqual(revisions.map((r) => [r.metadata!.name, r.revision]), [
      [second!.metadata!.name, 2],
      [first!.metadata!.name, 3],
    ]);
    assert.equal((await f.liveSet()).status?.updateRevision, first!.metadata!.name);
    assert.equal(await image('web-0'), 'nginx:1');
  });

  it('keeps revisionHistoryLimit unused revisions besides those in use', async () => {
    f.seed(statefulSet({ replicas: 1, revisionHistoryLimit: 1 }));
    await f.rollOut();
    for (const version of ['nginx:2', 'nginx:3', 'nginx:4']) {
      await f.setImage(version);
      await f.rollOut();
    }
    await f.pass();
    assert.deepEqual((await f.liveRevisions()).map((r) => r.revision), [3, 4]);
  });

  it('never deletes a revision a pod still runs', async () => {
    f.seed(statefulSet({ replicas: 2, revisionHistoryLimit: 0, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }));
    await f.rollOut();
    await f.setImage('nginx:2');
    await f.rollOut();
    await f.setImage('nginx:3');
    await f.rollOut();
    // web-0 runs revision 1 (the current one), web-1 revision 3; revision 2 is unused.
    assert.deepEqual((await f.liveRevisions()).map((r) => r.revision), [1, 3]);
  });
});

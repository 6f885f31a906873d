import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PODS, STATEFUL_SETS } from '../../client/resource-types.js';
import { BadRequestError } from '../../lib/errors.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { KEY, NS, StatefulSetFixture, statefulSet } from './stateful-set-harness.fixture.js';

describe('StatefulSetReconciler: creating and scaling', () => {
  let f: StatefulSetFixture;
  beforeEach(() => { f = new StatefulSetFixture(); });

  it('OrderedReady creates one pod at a time, each after the previous is Running and Ready', async () => {
    f.seed(statefulSet({ replicas: 3 }));
    await f.pass();
    assert.deepEqual(await f.podNames(), ['web-0']);
    await f.pass();
    assert.deepEqual(await f.podNames(), ['web-0'], 'web-0 is Pending: web-1 waits');
    await f.setPodStatus('web-0', { phase: 'Running' });
    await f.pass();
    assert.deepEqual(await f.podNames(), ['web-0'], 'Running but not Ready is not enough');
    await f.markReady('web-0');
    await f.pass();
    assert.deepEqual(await f.podNames(), ['web-0', 'web-1']);
    await f.markReady('web-1');
    await f.pass();
    assert.deepEqual(f.podWrites('create'), ['web-0', 'web-1', 'web-2']);
    assert.deepEqual(f.recorder.events.map((e) => e.message), [
      'create Pod web-0 in StatefulSet web successful',
      'create Pod web-1 in StatefulSet web successful',
      'create Pod web-2 in StatefulSet web successful',
    ]);
    assert.deepEqual(f.recorder.reasons(), ['SuccessfulCreate', 'SuccessfulCreate', 'SuccessfulCreate']);
  });

  it('OrderedReady also waits for minReadySeconds, and asks to be requeued when it ends', async () => {
    f.seed(statefulSet({ replicas: 2, minReadySeconds: 10 }));
    await f.pass();
    await f.markReady('web-0');
    f.clock.advance(4_000);
    const result = await f.pass();
    assert.deepEqual(await f.podNames(), ['web-0'], 'ready for 4 s of 10');
    assert.deepEqual(result, { requeueAfterMs: 6_001 });
    f.clock.advance(6_001);
    await f.pass();
    assert.deepEqual(await f.podNames(), ['web-0', 'web-1']);
  });

  it('Parallel creates every member at once', async () => {
    f.seed(statefulSet({ replicas: 4, podManagementPolicy: 'Parallel' }));
    await f.pass();
    assert.deepEqual(await f.podNames(), ['web-0', 'web-1', 'web-2', 'web-3']);
  });

  it('gives each pod its identity: name, hostname, subdomain, labels, owner', async () => {
    const set = f.seed(statefulSet({ replicas: 1 }));
    await f.pass();
    const pod = await f.pod('web-0');
    const [revision] = await f.liveRevisions();
    assert.equal(pod.spec?.hostname, 'web-0');
    assert.equal(pod.spec?.subdomain, 'nginx');
    assert.equal(pod.metadata?.generateName, 'web-');
    assert.deepEqual(pod.metadata?.labels, {
      app: 'web',
      'statefulset.kubernetes.io/pod-name': 'web-0',
      'apps.kubernetes.io/pod-index': '0',
      'controller-revision-hash': revision!.metadata!.name,
    });
    assert.deepEqual(pod.metadata?.ownerReferences, [
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata!.uid, controller: true, blockOwnerDeletion: true },
    ]);
    assert.equal(pod.spec?.containers[0]?.image, 'nginx:1');
  });

  it('numbers pods from spec.ordinals.start', async () => {
    f.seed(statefulSet({ replicas: 2, ordinals: { start: 5 }, podManagementPolicy: 'Parallel' }));
    await f.pass();
    assert.deepEqual(await f.podNames(), ['web-5', 'web-6']);
    assert.equal((await f.pod('web-6')).metadata?.labels?.['apps.kubernetes.io/pod-index'], '6');
    // Moving the start condemns the pods below it: web-5 goes, web-7 comes.
    await f.markAllReady();
    await f.editSet((set) => { set.spec!.ordinals = { start: 6 }; });
    await f.settle();
    assert.deepEqual(await f.podNames(), ['web-6', 'web-7']);
  });

  it('scales down from the highest ordinal, one pod at a time, waiting for the rest to be healthy', async () => {
    f.seed(statefulSet({ replicas: 4 }));
    await f.rollOut();
    await f.scale(1);
    await f.pass();
    assert.deepEqual(await f.podNames(), ['web-0', 'web-1', 'web-2']);
    await f.pass();
    assert.deepEqual(await f.podNames(), ['web-0', 'web-1']);
    await f.pass();
    assert.deepEqual(await f.podNames(), ['web-0']);
    assert.deepEqual(f.podWrites('delete'), ['web-3', 'web-2', 'web-1']);
    assert.deepEqual(f.recorder.events.filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message), [
      'delete Pod web-3 in StatefulSet web successful',
      'delete Pod web-2 in StatefulSet web successful',
      'delete Pod web-1 in StatefulSet web successful',
    ]);
  });

  it('OrderedReady scale-down stops while a remaining member is unhealthy', async () => {
    f.seed(statefulSet({ replicas: 3 }));
    await f.rollOut();
    await f.setPodStatus('web-0', { phase: 'Running' }); // no longer Ready
    await f.scale(2);
    await f.pass();
    assert.deepEqual(await f.podNames(), ['web-0', 'web-1', 'web-2']);
    await f.markReady('web-0');
    await f.pass();
    assert.deepEqual(await f.podNames(), ['web-0', 'web-1']);
  });

  it('Parallel scale-down deletes every condemned pod at once, unhealthy or not', async () => {
    f.seed(statefulSet({ replicas: 4, podManagementPolicy: 'Parallel' }));
    await f.pass();
    await f.scale(1);
    await f.pass();
    assert.deepEqual(await f.podNames(), ['web-0']);
  });

  it('a deleted pod comes back with the same name and identity', async () => {
    f.seed(statefulSet({ replicas: 2 }));
    await f.rollOut();
    const before = await f.pod('web-1');
    await f.deletePod('web-1');
    await f.pass();
    const after = await f.pod('web-1');
    assert.notEqual(after.metadata?.uid, before.metadata?.uid);
    assert.equal(after.spec?.hostname, 'web-1');
    assert.deepEqual(after.metadata?.labels, before.metadata?.labels);
  });

  it('a Failed pod is deleted, then recreated under its name', async () => {
    f.seed(statefulSet({ replicas: 2 }));
    await f.rollOut();
    await f.setPodStatus('web-0', { phase: 'Failed' });
    await f.pass();
    assert.deepEqual(await f.podNames(), ['web-1']);
    assert.equal(f.recorder.events.at(-1)?.message, 'delete Pod web-0 in StatefulSet web successful');
    await f.pass();
    assert.deepEqual(await f.podNames(), ['web-0', 'web-1']);
  });

  it('puts back the identity labels of a member that lost them', async () => {
    f.seed(statefulSet({ replicas: 1 }));
    await f.rollOut();
    await f.clients.resource<Pod>(PODS).patch(NS, 'web-0', 'merge', { metadata: { labels: { 'statefulset.kubernetes.io/pod-name': null } } });
    await f.pass();
    const labels = (await f.pod('web-0')).metadata?.labels ?? {};
    assert.equal(labels['statefulset.kubernetes.io/pod-name'], 'web-0');
    assert.equal(labels['apps.kubernetes.io/pod-index'], '0');
    assert.equal(f.recorder.events.at(-1)?.message, 'update Pod web-0 in StatefulSet web successful');
  });

  it('expectations keep a lagging cache from acting twice', async () => {
    f.seed(statefulSet({ replicas: 2, podManagementPolicy: 'Parallel' }));
    await f.sync();
    await f.reconciler.reconcile(KEY);
    assert.deepEqual(f.expectations.pending(KEY), { creates: 2, deletes: 0 });
    // The pod cache has not seen the creates: nothing is done again.
    await f.reconciler.reconcile(KEY);
    assert.equal(f.podWrites('create').length, 2);
    f.expectations.creationObserved(KEY);
    f.expectations.creationObserved(KEY);
    await f.pods.sync();
    await f.reconciler.reconcile(KEY);
    assert.equal(f.podWrites('create').length, 2);
    assert.equal(f.recorder.reasons().filter((r) => r === 'FailedCreate').length, 0);
  });

  it('records FailedCreate as upstream words it and retries', async () => {
    f.seed(statefulSet({ replicas: 1 }));
    const stop = f.clients.fail('create', 'pods', new BadRequestError('exceeded quota: pods'));
    await assert.rejects(f.pass(), BadRequestError);
    assert.deepEqual(f.recorder.events.map((e) => [e.reason, e.message]), [
      ['FailedCreate', 'create Pod web-0 in StatefulSet web failed error: exceeded quota: pods'],
    ]);
    assert.deepEqual(f.expectations.pending(KEY), { creates: 0, deletes: 0 }, 'a failed create is not awaited');
    assert.equal((await f.liveSet()).status?.replicas, 0, 'status is written even so');
    stop();
    await f.pass();
    assert.deepEqual(await f.podNames(), ['web-0']);
  });

  it('adopts an orphan named like a member, releases an owned non-member, ignores other names', async () => {
    const set = f.seed(statefulSet({ replicas: 1 }));
    const owner = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata!.uid!, controller: true };
    const pod = (name: string, owned: boolean): Pod => ({
      metadata: { name, namespace: NS, labels: { app: 'web' }, ...(owned ? { ownerReferences: [owner] } : {}) },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1' }] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    });
    f.clients.seed(PODS, pod('web-0', false), pod('other-0', true), pod('stray', false));
    await f.pass();
    assert.deepEqual(f.podWrites('patch').sort(), ['other-0', 'web-0', 'web-0'], 'other-0 released; web-0 adopted, then relabelled');
    assert.equal((await f.pod('other-0')).metadata?.ownerReferences, undefined);
    assert.equal((await f.pod('stray')).metadata?.ownerReferences, undefined);
    assert.deepEqual(f.podWrites('create'), [], 'the adopted web-0 fills the slot');
    // It carries no revision label, so the rolling update replaces it (as upstream).
    assert.deepEqual(f.podWrites('delete'), ['web-0']);
  });

  it('a set being deleted creates nothing but keeps its status', async () => {
    f.seed({ ...statefulSet({ replicas: 2 }), metadata: { name: 'web', namespace: NS, finalizers: ['foregroundDeletion'] } });
    await f.clients.resource(STATEFUL_SETS).delete(NS, 'web');
    await f.pass();
    assert.deepEqual(f.podWrites('create'), []);
    assert.equal((await f.liveSet()).status?.replicas, 0);
  });

  it('volumeClaimTemplates: each pod names its claim, and no claim is created', async () => {
    f.seed(statefulSet({
      replicas: 1,
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'nginx', image: 'nginx:1', volumeMounts: [{ name: 'www', mountPath: '/usr/share/nginx/html' }] }],
          volumes: [{ name: 'config', emptyDir: {} }],
        },
      },
    }));
    await f.pass();
    assert.deepEqual((await f.pod('web-0')).spec?.volumes, [
      { name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } },
      { name: 'config', emptyDir: {} },
    ]);
    assert.deepEqual(f.clients.writes('create').map((a) => a.resource).filter((r) => r !== 'controllerrevisions'), ['pods']);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PODS } from '../../client/resource-types.js';
import { podTemplate, RolloutHarness } from './rollout-harness.fixture.js';
import { applyEphemeral, EPHEMERAL_METADATA_ANNOTATION } from './rollout-ephemeral-metadata.js';
import type { PodObject, ReplicaSetObject } from './rollout-types.js';

const HASH = 'rollouts-pod-template-hash';

describe('ephemeral metadata', () => {
  it('applyEphemeral removes what was applied before, adds the new set, keeps the rest', () => {
    const meta = { labels: { app: 'web', role: 'canary', keep: 'yes' }, annotations: { note: 'x' } };
    assert.equal(applyEphemeral(meta, { labels: { role: 'canary' }, annotations: { note: 'x' } }, { labels: { role: 'stable' } }), true);
    assert.deepEqual(meta, { labels: { app: 'web', keep: 'yes', role: 'stable' } });
    assert.equal(applyEphemeral(meta, { labels: { role: 'stable' } }, { labels: { role: 'stable' } }), false);
  });

  it('canary pods carry canaryMetadata while canary and swap it for stableMetadata in place on promotion', async () => {
    const h = new RolloutHarness();
    await h.create({
      replicas: 4,
      strategy: { canary: { steps: [{ setWeight: 25 }, { pause: {} }], canaryMetadata: { labels: { role: 'canary' } }, stableMetadata: { labels: { role: 'stable' }, annotations: { tier: 'prod' } } } },
    });
    await h.run();
    const byHash = async (): Promise<Map<string, ReplicaSetObject>> =>
      new Map((await h.rsClient.list('default')).items.map((rs) => [rs.metadata?.labels?.[HASH] ?? '', rs]));
    const stableHash = (await h.rollout()).status?.stableRS ?? '';
    let sets = await byHash();
    assert.equal(sets.get(stableHash)?.spec?.template?.metadata?.labels?.role, 'stable', 'the first revision is stable at once');
    assert.equal(sets.get(stableHash)?.spec?.template?.metadata?.annotations?.tier, 'prod');

    await h.edit((ro) => { ro.spec = { ...ro.spec, template: podTemplate('nginx:2') }; });
    await h.run();
    const canaryHash = (await h.rollout()).status?.currentPodHash ?? '';
    sets = await byHash();
    const canaryRS = sets.get(canaryHash);
    assert.deepEqual(canaryRS?.spec?.template?.metadata?.labels, { app: 'web', [HASH]: canaryHash, role: 'canary' });
    assert.equal(canaryRS?.spec?.template?.metadata?.annotations?.tier, undefined);
    assert.equal(canaryRS?.metadata?.annotations?.[EPHEMERAL_METADATA_ANNOTATION], JSON.stringify({ labels: { role: 'canary' } }));
    assert.equal(sets.get(stableHash)?.spec?.template?.metadata?.labels?.role, 'stable');

    // A pod of the canary as the ReplicaSet controller made it, plus a label a person added.
    const pods = h.clients.resource<PodObject>(PODS);
    await pods.create('default', {
      metadata: {
        name: 'canary-pod', namespace: 'default', labels: { ...canaryRS?.spec?.template?.metadata?.labels, extra: 'mine' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: canaryRS?.metadata?.name ?? '', uid: canaryRS?.metadata?.uid ?? '', controller: true }],
      },
      spec: { containers: [{ name: 'app', image: 'nginx:2' }] },
    });

    await h.edit((ro) => { delete ro.status?.pauseConditions; }, true); // promote
    await h.run();
    assert.equal((await h.rollout()).status?.stableRS, canaryHash);
    sets = await byHash();
    assert.equal(sets.get(canaryHash)?.spec?.template?.metadata?.labels?.role, 'stable');
    assert.equal(sets.get(canaryHash)?.spec?.template?.metadata?.annotations?.tier, 'prod');
    const pod = await pods.get('default', 'canary-pod');
    assert.deepEqual(pod.metadata?.labels, { app: 'web', [HASH]: canaryHash, extra: 'mine', role: 'stable' }, 'updated in place');
    assert.equal(pod.metadata?.annotations?.tier, 'prod');
  });

  it('blue/green: previewMetadata while in preview, activeMetadata once active', async () => {
    const h = new RolloutHarness();
    await h.service('web-active');
    await h.service('web-preview');
    const bg = { activeService: 'web-active', previewService: 'web-preview', autoPromotionEnabled: false, previewMetadata: { labels: { role: 'preview' } }, activeMetadata: { labels: { role: 'active' } } };
    await h.create({ replicas: 2, strategy: { blueGreen: bg } });
    await h.run();
    await h.edit((ro) => { ro.spec = { ...ro.spec, template: podTemplate('nginx:2') }; });
    await h.run();
    const ro = await h.rollout();
    const role = async (hash: string | undefined): Promise<string | undefined> =>
      (await h.rsClient.list('default')).items.find((rs) => rs.metadata?.labels?.[HASH] === hash)?.spec?.template?.metadata?.labels?.role;
    assert.equal(await role(ro.status?.currentPodHash), 'preview');
    assert.equal(await role(ro.status?.stableRS), 'active');
    await h.edit((r) => { delete r.status?.pauseConditions; }, true);
    await h.run();
    assert.equal(await role(ro.status?.currentPodHash), 'active');
  });
});

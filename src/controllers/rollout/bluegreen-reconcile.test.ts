import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { podTemplate, RolloutHarness } from './rollout-harness.fixture.js';
import type { BlueGreenStrategy } from './rollout-types.js';

async function blueGreen(extra: Partial<BlueGreenStrategy> = {}): Promise<RolloutHarness> {
  const h = new RolloutHarness();
  await h.service('web-active');
  await h.service('web-preview');
  await h.create({ replicas: 3, strategy: { blueGreen: { activeService: 'web-active', previewService: 'web-preview', ...extra } } });
  await h.run();
  await h.edit((ro) => { ro.spec = { ...ro.spec, template: podTemplate('nginx:2') }; });
  return h;
}

describe('blue/green', () => {
  it('preview first, switch on promote, old RS down after scaleDownDelaySeconds', async () => {
    const h = await blueGreen({ autoPromotionEnabled: false, previewReplicaCount: 1 });
    await h.run();
    let ro = await h.rollout();
    const blue = ro.status?.stableRS ?? '';
    const green = ro.status?.currentPodHash ?? '';
    assert.equal(await h.selector('web-active'), blue);
    assert.equal(await h.selector('web-preview'), green);
    assert.deepEqual(await h.sizes(), { [blue]: 3, [green]: 1 });
    assert.equal(ro.status?.phase, 'Paused');
    assert.equal(ro.status?.message, 'BlueGreenPause');
    await h.edit((r) => { delete r.status?.pauseConditions; }, true);
    await h.run();
    ro = await h.rollout();
    assert.equal(await h.selector('web-active'), green);
    assert.equal(ro.status?.stableRS, green);
    assert.equal(ro.status?.phase, 'Healthy');
    assert.equal((await h.sizes())[blue], 3);
    h.clock.advance(31_000);
    await h.run();
    assert.equal((await h.sizes())[blue], 0);
  });

  it('failed post-promotion analysis switches active back to the old pods', async () => {
    const h = await blueGreen({ postPromotionAnalysis: { templates: [{ templateName: 'smoke' }] } });
    h.analysis.phases.set('postPromotion', 'Running');
    await h.run();
    let ro = await h.rollout();
    const blue = ro.status?.stableRS ?? '';
    const green = ro.status?.currentPodHash ?? '';
    assert.equal(await h.selector('web-active'), green, 'switched, analysis running');
    h.analysis.phases.set('postPromotion', 'Failed');
    await h.reconcile();
    ro = await h.rollout();
    assert.equal(await h.selector('web-active'), blue);
    assert.equal(ro.status?.phase, 'Degraded');
    assert.ok(ro.status?.decisions?.some((d) => d.kind === 'rollback'));
    await h.run();
    assert.equal(await h.selector('web-active'), blue, 'stays on the old pods');
  });

  it('failed pre-promotion analysis aborts before any switch', async () => {
    const h = await blueGreen({ prePromotionAnalysis: { templates: [{ templateName: 'smoke' }] } });
    h.analysis.phases.set('prePromotion', 'Failed');
    await h.run();
    const ro = await h.rollout();
    assert.equal(await h.selector('web-active'), ro.status?.stableRS);
    assert.notEqual(ro.status?.stableRS, ro.status?.currentPodHash);
    assert.equal(ro.status?.abort, true);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { podTemplate, RolloutHarness } from './rollout-harness.fixture.js';
import type { CanaryStep } from './rollout-types.js';

async function routedHarness(steps: CanaryStep[]): Promise<RolloutHarness> {
  const h = new RolloutHarness();
  await h.service('web-stable');
  await h.service('web-canary');
  await h.route();
  await h.create({
    strategy: {
      canary: {
        canaryService: 'web-canary', stableService: 'web-stable', steps,
        trafficRouting: { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'web-route' } } },
      },
    },
  });
  await h.run();
  await h.edit((ro) => { ro.spec = { ...ro.spec, template: podTemplate('nginx:2') }; });
  return h;
}

describe('abort and retry requested through status', () => {
  it('a user abort (status.abort only) gets abortedAt and an abort decision', async () => {
    const h = await routedHarness([{ setWeight: 20 }, { pause: {} }]);
    await h.run();
    await h.edit((r) => { r.status = { ...r.status, abort: true }; }, true);
    await h.reconcile();
    const ro = await h.rollout();
    assert.equal(ro.status?.abortedAt, '2025-01-01T00:00:00Z');
    assert.equal(ro.status?.decisions?.at(-1)?.kind, 'abort');
    assert.equal(ro.status?.decisions?.at(-1)?.message, 'aborted by user (status.abort)');
    assert.deepEqual(await h.weights(), [100, 0]);
    h.clock.advance(5_000);
    await h.reconcile();
    assert.equal((await h.rollout()).status?.abortedAt, '2025-01-01T00:00:00Z', 'abortedAt is when the abort was first seen');
  });

  it('retry after a failed step analysis starts a fresh run instead of reusing the failed one', async () => {
    const h = await routedHarness([{ analysis: { templates: [{ templateName: 'rate' }] } }, { setWeight: 20 }, { pause: {} }]);
    h.analysis.phases.set('step-0', 'Failed');
    await h.run(4);
    let ro = await h.rollout();
    assert.equal(ro.status?.abort, true);
    assert.ok(ro.status?.abortedAt !== undefined);
    assert.equal(ro.status?.canary?.currentStepAnalysisRunStatus?.status, 'Failed');

    h.analysis.phases.set('step-0', 'Running');
    const before = h.analysis.requests.length;
    await h.edit((r) => { r.status = { ...r.status, abort: false }; }, true);
    await h.reconcile();
    ro = await h.rollout();
    assert.equal(ro.status?.abortedAt, undefined);
    assert.notEqual(ro.status?.phase, 'Degraded');
    const retryRequest = h.analysis.requests.slice(before).find((r) => r.kind === 'step');
    assert.ok(retryRequest, 'the step analysis is ensured again');
    // The launcher reuses a completed run only while the status it is given names it.
    assert.equal(retryRequest.rollout.status?.canary?.currentStepAnalysisRunStatus, undefined);
    assert.ok(h.recorder.reasons().includes('RolloutRetry'));
    assert.equal(ro.status?.decisions?.at(-1)?.kind, 'resume');
  });

  it('blue/green: a user abort keeps active on stable, points preview back, scales the new pods down later', async () => {
    const h = new RolloutHarness();
    await h.service('web-active');
    await h.service('web-preview');
    await h.create({ replicas: 3, strategy: { blueGreen: { activeService: 'web-active', previewService: 'web-preview', autoPromotionEnabled: false, abortScaleDownDelaySeconds: 10 } } });
    await h.run();
    const blue = (await h.rollout()).status?.stableRS ?? '';
    await h.edit((ro) => { ro.spec = { ...ro.spec, template: podTemplate('nginx:2') }; });
    await h.run();
    const green = (await h.rollout()).status?.currentPodHash ?? '';
    assert.equal(await h.selector('web-preview'), green);
    await h.edit((r) => { r.status = { ...r.status, abort: true }; }, true);
    await h.run(3);
    const ro = await h.rollout();
    assert.equal(ro.status?.phase, 'Degraded');
    assert.ok(ro.status?.abortedAt !== undefined);
    assert.equal(await h.selector('web-active'), blue);
    assert.equal(await h.selector('web-preview'), blue);
    assert.equal((await h.sizes())[green], 3, 'kept for abortScaleDownDelaySeconds');
    h.clock.advance(11_000);
    await h.run(3);
    assert.equal((await h.sizes())[green], 0);
  });
});

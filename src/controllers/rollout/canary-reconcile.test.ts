import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { podTemplate, RolloutHarness } from './rollout-harness.fixture.js';
import type { CanaryStep } from './rollout-types.js';

const routed = (steps: CanaryStep[], extra: Record<string, unknown> = {}) => ({
  strategy: {
    canary: {
      canaryService: 'web-canary', stableService: 'web-stable', steps,
      trafficRouting: { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'web-route', namespace: 'default' } } },
      ...extra,
    },
  },
});

async function routedHarness(steps: CanaryStep[], extra: Record<string, unknown> = {}): Promise<RolloutHarness> {
  const h = new RolloutHarness();
  await h.service('web-stable');
  await h.service('web-canary');
  await h.route();
  await h.create(routed(steps, extra));
  await h.run();
  return h;
}

async function newImage(h: RolloutHarness): Promise<void> {
  await h.edit((ro) => { ro.spec = { ...ro.spec, template: podTemplate('nginx:2') }; });
}

describe('canary with the Gateway API router', () => {
  it('initial deploy is stable at once and Healthy', async () => {
    const h = await routedHarness([{ setWeight: 20 }, { pause: {} }]);
    const ro = await h.rollout();
    assert.equal(ro.status?.stableRS, ro.status?.currentPodHash);
    assert.equal(ro.status?.phase, 'Healthy');
    assert.equal(await h.selector('web-stable'), ro.status?.stableRS);
    assert.deepEqual(await h.weights(), [100, 0]);
  });

  it('setWeight moves the route, pause waits for promote, the end promotes and scales the old RS down after the delay', async () => {
    const h = await routedHarness([{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: '30s' } }]);
    const stable = (await h.rollout()).status?.stableRS;
    await newImage(h);
    await h.run();
    let ro = await h.rollout();
    const canary = ro.status?.currentPodHash ?? '';
    assert.notEqual(canary, stable);
    assert.deepEqual(await h.weights(), [80, 20]);
    assert.equal((await h.sizes())[canary], 2);
    assert.equal(ro.status?.phase, 'Paused');
    assert.equal(ro.status?.message, 'CanaryPauseStep');
    assert.deepEqual(ro.status?.pauseConditions?.map((c) => c.reason), ['CanaryPauseStep']);
    assert.equal(await h.selector('web-canary'), canary);

    // promote: clear the pause conditions (what `k8ts rollout promote` does)
    await h.edit((r) => { delete r.status?.pauseConditions; }, true);
    await h.run();
    ro = await h.rollout();
    assert.deepEqual(await h.weights(), [50, 50]);
    assert.equal(ro.status?.currentStepIndex, 3);
    h.clock.advance(31_000);
    await h.run();
    ro = await h.rollout();
    assert.equal(ro.status?.stableRS, canary);
    assert.equal(await h.selector('web-stable'), canary);
    assert.deepEqual(await h.weights(), [100, 0]);
    assert.equal((await h.sizes())[stable ?? ''], 10, 'old stable waits scaleDownDelaySeconds');
    h.clock.advance(31_000);
    await h.run();
    assert.equal((await h.sizes())[stable ?? ''], 0);
    assert.equal((await h.rollout()).status?.phase, 'Healthy');
    assert.ok(h.recorder.reasons().includes('RolloutCompleted'));
    const kinds = (await h.rollout()).status?.decisions?.map((d) => d.kind) ?? [];
    assert.ok(kinds.includes('step') && kinds.includes('pause') && kinds.includes('promote'), kinds.join());
  });

  it('abort sends all traffic to stable before scaling, then scales the canary down after abortScaleDownDelaySeconds; retry restarts the steps', async () => {
    const h = await routedHarness([{ setWeight: 40 }, { pause: {} }]);
    await newImage(h);
    await h.run();
    const canary = (await h.rollout()).status?.currentPodHash ?? '';
    assert.deepEqual(await h.weights(), [60, 40]);
    await h.edit((r) => { r.status = { ...r.status, abort: true }; }, true);
    const writes = h.clients.actions.length;
    await h.reconcile();
    const after = h.clients.actions.slice(writes);
    const routeWrite = after.findIndex((a) => a.resource === 'httproutes');
    const rsWrite = after.findIndex((a) => a.resource === 'replicasets');
    assert.ok(routeWrite >= 0, 'route written');
    assert.ok(rsWrite === -1 || routeWrite < rsWrite, 'route before any scaling');
    assert.deepEqual(await h.weights(), [100, 0]);
    let ro = await h.rollout();
    assert.equal(ro.status?.phase, 'Degraded');
    assert.match(ro.status?.message ?? '', /^RolloutAborted: Rollout aborted update to revision 2/);
    assert.equal((await h.sizes())[canary], 4, 'canary kept until the delay');
    h.clock.advance(31_000);
    await h.run();
    assert.equal((await h.sizes())[canary], 0);
    // retry
    await h.edit((r) => { r.status = { ...r.status, abort: false }; }, true);
    await h.run();
    ro = await h.rollout();
    assert.deepEqual(await h.weights(), [60, 40]);
    assert.equal(ro.status?.currentStepIndex, 1);
  });

  it('capacity safety: the weight waits for ready canary pods', async () => {
    const h = await routedHarness([{ setWeight: 50 }, { pause: {} }]);
    await newImage(h);
    await h.reconcile(); // creates the canary RS
    await h.reconcile(); // scales it to 5
    await h.settle(2); // 2 of 5 available
    await h.reconcile();
    assert.deepEqual(await h.weights(), [80, 20], '2 of 10 pods carry 20%');
    const decision = (await h.rollout()).status?.decisions?.at(-1);
    assert.equal(decision?.kind, 'hold', 'a capacity hold is its own kind of decision, not a pause');
    assert.match(decision?.message ?? '', /canary weight held at 20 \(wanted 50\): 2 of 5 canary pods available/);
    await h.settle();
    await h.reconcile();
    assert.deepEqual(await h.weights(), [50, 50]);
  });

  it('a failed step analysis aborts with the metrics in the decision', async () => {
    const h = await routedHarness([{ setWeight: 20 }, { analysis: { templates: [{ templateName: 'ok' }] } }, { setWeight: 60 }]);
    await newImage(h);
    await h.run(4);
    assert.equal((await h.rollout()).status?.currentStepIndex, 1);
    h.analysis.phases.set('step-1', 'Failed');
    await h.reconcile();
    const ro = await h.rollout();
    assert.deepEqual(await h.weights(), [100, 0]);
    assert.equal(ro.status?.abort, true);
    const abort = ro.status?.decisions?.find((d) => d.kind === 'abort');
    assert.equal(abort?.metrics?.[0]?.value, '[0.5]');
    assert.match(ro.status?.message ?? '', /Metric "success-rate" assessed Failed/);
    assert.ok(h.recorder.reasons().includes('AnalysisRunFailed'));
  });

  it('setHeaderRoute adds a header rule to the canary, removed at promotion', async () => {
    const h = await routedHarness([{ setWeight: 10 }, { setHeaderRoute: { name: 'beta', match: [{ headerName: 'x-beta', headerValue: { exact: 'yes' } }] } }, { pause: {} }]);
    await newImage(h);
    await h.run();
    let route = await h.routes.get('default', 'web-route');
    assert.equal(route.spec.rules?.[0]?.name, 'beta');
    assert.deepEqual(route.spec.rules?.[0]?.matches?.[0]?.headers, [{ type: 'Exact', name: 'x-beta', value: 'yes' }]);
    assert.deepEqual(route.spec.rules?.[0]?.backendRefs?.map((b) => b.name), ['web-canary']);
    await h.edit((r) => { r.status = { ...r.status, promoteFull: true }; }, true);
    await h.run();
    route = await h.routes.get('default', 'web-route');
    assert.equal(route.spec.rules?.length, 1);
    assert.deepEqual(await h.weights(), [100, 0]);
  });
});

describe('canary without traffic routing (replica ratio)', () => {
  it('setWeight is the pod ratio; the end promotes', async () => {
    const h = new RolloutHarness();
    await h.create({ strategy: { canary: { steps: [{ setWeight: 30 }, { pause: {} }] } } });
    await h.run();
    const stable = (await h.rollout()).status?.stableRS ?? '';
    await newImage(h);
    await h.run();
    const canary = (await h.rollout()).status?.currentPodHash ?? '';
    assert.deepEqual(await h.sizes(), { [stable]: 7, [canary]: 3 });
    await h.edit((r) => { delete r.status?.pauseConditions; }, true);
    await h.run();
    assert.deepEqual(await h.sizes(), { [stable]: 0, [canary]: 10 });
    assert.equal((await h.rollout()).status?.phase, 'Healthy');
  });
});

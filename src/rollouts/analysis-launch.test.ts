import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/object.js';
import { FakeClientSet } from '../client/fake/fake-client-set.js';
import { ANALYSIS_RUNS, ANALYSIS_TEMPLATES, CLUSTER_ANALYSIS_TEMPLATES, ROLLOUTS } from '../client/resource-types.js';
import { SnapshotLister } from '../controllers/framework/snapshot-lister.fixture.js';
import { FakeClock } from '../lib/clock.js';
import type { AnalysisRunObject, AnalysisTemplateObject, ClusterAnalysisTemplateObject } from './analysis-objects.js';
import { ArgumentError } from './analysis/index.js';
import {
  analysisRunResult, AnalysisTemplateNotFoundError, ensureAnalysisRun, terminateAnalysisRun,
  type EnsureAnalysisRunOptions, type LaunchingRollout,
} from './analysis-launch.js';

type RolloutObject = LaunchingRollout & KubeObject;

const rateTemplate: AnalysisTemplateObject = {
  metadata: { name: 'success-rate', namespace: 'ns' },
  spec: {
    args: [{ name: 'canary-hash' }, { name: 'min', value: '0.95' }],
    metrics: [{ name: 'success-rate', interval: '30s', count: 4, successCondition: 'result >= {{args.min}}', provider: { web: { url: 'http://m/{{args.canary-hash}}' } } }],
  },
};
const latencyTemplate: ClusterAnalysisTemplateObject = {
  metadata: { name: 'latency' },
  spec: {
    args: [{ name: 'stable-hash' }, { name: 'app' }, { name: 'owner' }, { name: 'ro' }],
    metrics: [{ name: 'p99', successCondition: 'result < 300', provider: { web: { url: 'http://m/{{args.stable-hash}}/{{args.app}}' } } }],
  },
};

class Fixture {
  readonly clock = new FakeClock();
  readonly clients = new FakeClientSet({ clock: this.clock });
  readonly listers = {
    analysisRuns: new SnapshotLister<AnalysisRunObject>(this.clients.resource(ANALYSIS_RUNS)),
    analysisTemplates: new SnapshotLister<AnalysisTemplateObject>(this.clients.resource(ANALYSIS_TEMPLATES)),
    clusterAnalysisTemplates: new SnapshotLister<ClusterAnalysisTemplateObject>(this.clients.resource(CLUSTER_ANALYSIS_TEMPLATES)),
  };
  rollout: RolloutObject;

  constructor() {
    this.clients.seed(ANALYSIS_TEMPLATES, rateTemplate);
    this.clients.seed(CLUSTER_ANALYSIS_TEMPLATES, latencyTemplate);
    this.rollout = this.clients.seed<RolloutObject>(ROLLOUTS, {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout',
      metadata: { name: 'shop', namespace: 'ns', labels: { app: 'web' }, annotations: { 'rollout.argoproj.io/revision': '3' } },
      spec: { selector: { matchLabels: { app: 'web' } } },
    })[0]!;
  }

  options(extra: Partial<EnsureAnalysisRunOptions> = {}): EnsureAnalysisRunOptions {
    return {
      rollout: this.rollout,
      kind: 'step',
      stepIndex: 2,
      templates: [{ templateName: 'success-rate' }, { templateName: 'latency', clusterScope: true }],
      args: [
        { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
        { name: 'stable-hash', valueFrom: { podTemplateHashValue: 'Stable' } },
        { name: 'app', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'owner', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['team']" } } },
        { name: 'ro', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ],
      podHashes: { stable: '5c4b', canary: '6d8f' },
      ...extra,
    };
  }

  async ensure(extra: Partial<EnsureAnalysisRunOptions> = {}, sync = true): Promise<AnalysisRunObject> {
    if (sync) await Promise.all(Object.values(this.listers).map((l) => l.sync()));
    return ensureAnalysisRun(this.options(extra), this.clients, this.listers);
  }

  creates(): number {
    return this.clients.actions.filter((a) => a.verb === 'create' && a.resource === 'analysisruns').length;
  }

  async complete(name: string, phase: 'Successful' | 'Failed'): Promise<void> {
    const client = this.clients.resource<AnalysisRunObject>(ANALYSIS_RUNS);
    const run = await client.get('ns', name);
    await client.updateStatus('ns', { ...run, status: { phase } });
  }
}

describe('ensureAnalysisRun', () => {
  let f: Fixture;
  beforeEach(() => { f = new Fixture(); });

  it('creates a step run with Argo\'s name, labels, annotation and owner, merging templates and resolving args', async () => {
    const run = await f.ensure();
    assert.equal(run.metadata?.name, 'shop-6d8f-3-2');
    assert.deepEqual(run.metadata?.labels, { 'rollouts-pod-template-hash': '6d8f', 'rollout-type': 'Step', 'step-index': '2', app: 'web' });
    assert.deepEqual(run.metadata?.annotations, { 'rollout.argoproj.io/revision': '3' });
    assert.deepEqual(run.metadata?.ownerReferences, [{
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'shop', uid: f.rollout.metadata?.uid, controller: true, blockOwnerDeletion: true,
    }]);
    assert.deepEqual(run.spec.metrics.map((m) => m.name), ['success-rate', 'p99']);
    assert.deepEqual(run.spec.args, [
      { name: 'canary-hash', value: '6d8f' }, { name: 'min', value: '0.95' },
      { name: 'stable-hash', value: '5c4b' }, { name: 'app', value: 'web' }, { name: 'owner', value: '' }, { name: 'ro', value: 'shop' },
    ]);
  });

  it('names background, prePromotion and postPromotion runs as Argo does', async () => {
    const kinds = [['background', 'shop-6d8f-3', 'Background'], ['prePromotion', 'shop-6d8f-3-pre', 'PrePromotion'], ['postPromotion', 'shop-6d8f-3-post', 'PostPromotion']] as const;
    for (const [kind, name, type] of kinds) {
      const run = await f.ensure({ kind });
      assert.equal(run.metadata?.name, name);
      assert.equal(run.metadata?.labels?.['rollout-type'], type);
      assert.equal(run.metadata?.labels?.['step-index'], undefined);
    }
  });

  it('is idempotent: a second call returns the existing run, with a fresh or a stale cache', async () => {
    const first = await f.ensure();
    const again = await f.ensure({}, false);
    assert.equal(again.metadata?.uid, first.metadata?.uid, 'stale cache: AlreadyExists, then the existing run');
    const synced = await f.ensure();
    assert.equal(synced.metadata?.uid, first.metadata?.uid);
    assert.equal(f.creates(), 2, 'one successful create, one AlreadyExists');
    assert.equal((await f.clients.resource(ANALYSIS_RUNS).list('ns')).items.length, 1);
  });

  it('reuses a completed run only while the rollout status names it; otherwise (retry) creates name.1', async () => {
    await f.ensure();
    await f.complete('shop-6d8f-3-2', 'Failed');
    f.rollout = { ...f.rollout, status: { canary: { currentStepAnalysisRunStatus: { name: 'shop-6d8f-3-2' } } } };
    assert.equal((await f.ensure()).metadata?.name, 'shop-6d8f-3-2', 'the current run, Failed, is what the rollout judges');
    assert.equal((await f.ensure({ forceNew: true })).metadata?.name, 'shop-6d8f-3-2.1', 'forceNew');
    f.rollout = { ...f.rollout, status: {} };
    assert.equal((await f.ensure()).metadata?.name, 'shop-6d8f-3-2.1', 'the newest run is still going');
    await f.complete('shop-6d8f-3-2.1', 'Successful');
    assert.equal((await f.ensure()).metadata?.name, 'shop-6d8f-3-2.2');
  });

  it('never reuses a run owned by another rollout: the collision counter moves on', async () => {
    f.clients.seed<AnalysisRunObject>(ANALYSIS_RUNS, {
      metadata: { name: 'shop-6d8f-3-2', namespace: 'ns', ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'shop', uid: 'old-uid', controller: true }] },
      spec: { metrics: [] },
    });
    assert.equal((await f.ensure({}, false)).metadata?.name, 'shop-6d8f-3-2.1');
  });

  it('surfaces a missing template as a clear error', async () => {
    await assert.rejects(f.ensure({ templates: [{ templateName: 'nope' }] }),
      (e) => e instanceof AnalysisTemplateNotFoundError && e.message === 'AnalysisTemplate "nope" not found' && e.code === 'NotFound');
    await assert.rejects(f.ensure({ templates: [{ templateName: 'nope', clusterScope: true }] }), { message: 'ClusterAnalysisTemplate "nope" not found' });
    assert.equal(f.creates(), 0);
  });

  it('follows nested template references once each, and reads templates the cache has not seen yet', async () => {
    f.clients.seed<AnalysisTemplateObject>(ANALYSIS_TEMPLATES,
      { metadata: { name: 'outer', namespace: 'ns' }, spec: { templates: [{ templateName: 'success-rate' }, { templateName: 'outer' }], metrics: [{ name: 'outer-m', provider: { web: { url: 'u' } } }] } });
    const run = await ensureAnalysisRun(f.options({ templates: [{ templateName: 'outer' }] }), f.clients, f.listers);
    assert.deepEqual(run.spec.metrics.map((m) => m.name), ['outer-m', 'success-rate']);
  });

  it('rejects an argument no one gives a value', async () => {
    await assert.rejects(f.ensure({ args: [] }), (e) => e instanceof ArgumentError && e.message === 'args.canary-hash was not resolved');
  });
});

describe('analysisRunResult / terminateAnalysisRun', () => {
  it('is Pending before the controller looked, then reports metrics with values and conditions', async () => {
    const f = new Fixture();
    const run = await f.ensure();
    assert.deepEqual(analysisRunResult(run), {
      name: 'shop-6d8f-3-2', phase: 'Pending',
      metrics: [{ name: 'success-rate', phase: 'Pending', condition: 'result >= 0.95' }, { name: 'p99', phase: 'Pending', condition: 'result < 300' }],
    });
    const judged: AnalysisRunObject = {
      ...run,
      status: {
        phase: 'Failed', message: 'Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)',
        metricResults: [
          { name: 'success-rate', phase: 'Failed', count: 1, failed: 1, measurements: [{ phase: 'Failed', value: '0.91' }] },
          { name: 'p99', phase: 'Successful', count: 1, successful: 1, dryRun: true, measurements: [{ phase: 'Successful', value: '120' }] },
        ],
      },
    };
    assert.deepEqual(analysisRunResult(judged), {
      name: 'shop-6d8f-3-2', phase: 'Failed', message: 'Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)',
      metrics: [
        { name: 'success-rate', phase: 'Failed', value: '0.91', condition: 'result >= 0.95', message: 'failed (1) > failureLimit (0)' },
        { name: 'p99', phase: 'Successful', value: '120', condition: 'result < 300', message: 'dry-run' },
      ],
    });
  });

  it('terminate sets spec.terminate once, leaves completed runs alone and ignores a deleted run', async () => {
    const f = new Fixture();
    const run = await f.ensure();
    const terminated = await terminateAnalysisRun(run, f.clients);
    assert.equal(terminated?.spec.terminate, true);
    const patches = (): number => f.clients.actions.filter((a) => a.verb === 'patch').length;
    assert.equal(patches(), 1);
    assert.ok(terminated !== undefined);
    await terminateAnalysisRun(terminated, f.clients);
    await terminateAnalysisRun({ ...run, status: { phase: 'Successful' } }, f.clients);
    assert.equal(patches(), 1);
    await f.clients.resource(ANALYSIS_RUNS).delete('ns', run.metadata!.name!);
    assert.equal(await terminateAnalysisRun(run, f.clients), undefined);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ANALYSIS_RUNS } from '../../client/resource-types.js';
import type { AnalysisRunObject } from '../../rollouts/analysis-objects.js';
import type { MeasureRequest, MetricProvider, ProviderMeasurement } from '../../rollouts/analysis/index.js';
import { ControllerHarness } from '../framework/controller-harness.fixture.js';
import { AnalysisRunReconciler } from './analysis-run-reconciler.js';
import { createAnalysisRunController, DEFAULT_GATEWAY_ADMIN_ADDRESS, defaultMetricProviders } from './analysis-run-controller.js';

class InstantProvider implements MetricProvider {
  readonly type = 'Web';
  readonly calls: MeasureRequest[] = [];
  measure(request: MeasureRequest): Promise<ProviderMeasurement> {
    this.calls.push(request);
    return Promise.resolve({ value: 1 });
  }
}

describe('analysisRunController wiring', () => {
  it('enqueues runs from the informer and completes them through its passes', async () => {
    const provider = new InstantProvider();
    const h = new ControllerHarness(createAnalysisRunController({ providers: { web: provider } }));
    await h.start();
    try {
      await h.clients.resource<AnalysisRunObject>(ANALYSIS_RUNS).create('ns', {
        apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun', metadata: { name: 'run', namespace: 'ns' },
        spec: { metrics: [{ name: 'ok', successCondition: 'result == 1', provider: { web: { url: 'http://unused' } } }] },
      });
      await h.settle();
      assert.deepEqual(h.keys, ['ns/run']);
      const reconciler = h.registration.reconciler as AnalysisRunReconciler;
      for (let i = 0; i < 3; i++) {
        await h.drain();
        await reconciler.idle();
      }
      const run = await h.clients.resource<AnalysisRunObject>(ANALYSIS_RUNS).get('ns', 'run');
      assert.equal(run.status?.phase, 'Successful');
      assert.equal(provider.calls.length, 1);
      assert.deepEqual(h.recorder.reasons(), ['MetricSuccessful', 'AnalysisRunSuccessful']);
    } finally {
      h.stop();
    }
  });

  it('builds web, prometheus and gateway providers, the gateway at the admin address', () => {
    const providers = defaultMetricProviders();
    assert.deepEqual(Object.keys(providers).sort(), ['gateway', 'prometheus', 'web']);
    assert.equal(DEFAULT_GATEWAY_ADMIN_ADDRESS, 'http://127.0.0.1:9080');
  });
});

// The Argo Rollouts kinds end to end with the real kubectl, on a server without controllers (this
// suite is about the API: the rollout and AnalysisRun controllers have their own). Manifests shaped
// like argo-rollouts' examples apply unchanged, print with the CRDs' columns, explain from the
// served OpenAPI, scale through the scale subresource, and are validated (Argo's rules, strict
// field validation).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AnalysisTemplate, Rollout } from '../../src/api/rollouts/index.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';

const MANIFESTS = join(import.meta.dirname, 'manifests', 'rollouts');
const manifest = (file: string): string => readFileSync(join(MANIFESTS, file), 'utf8');

describe('Argo Rollouts kinds with kubectl', { timeout: 180_000 }, () => {
  let server: RunningServer;
  let kubectl: Kubectl;
  const json = async <T>(args: string[]): Promise<T> => JSON.parse(await kubectl.ok([...args, '-o', 'json'])) as T;

  before(async () => {
    server = await startServer({ store: 'memory' });
    kubectl = kubectlFor(server.kubeconfig);
  });

  after(async () => {
    const code = await server.stop();
    await server.cleanup();
    assert.equal(code, 0, `server should exit 0 on SIGTERM:\n${server.output().slice(-4000)}`);
  });

  it('applies Argo example manifests unchanged', async () => {
    const templates = await kubectl.ok(['apply', '-f', '-'], { input: manifest('analysis-templates.yaml') });
    assert.match(templates, /analysistemplate\.argoproj\.io\/success-rate created/);
    assert.match(templates, /clusteranalysistemplate\.argoproj\.io\/always-pass created/);
    const canary = await kubectl.ok(['apply', '-f', '-'], { input: manifest('rollout-canary.yaml') });
    assert.match(canary, /rollout\.argoproj\.io\/rollout-canary created/);
    const blueGreen = await kubectl.ok(['apply', '-f', '-'], { input: manifest('rollout-bluegreen.yaml') });
    assert.match(blueGreen, /rollout\.argoproj\.io\/rollout-bluegreen created/);
    assert.match(blueGreen, /service\/rollout-bluegreen-preview created/);
    // Applying again changes nothing: no server-side defaults fight the manifest.
    assert.match(await kubectl.ok(['apply', '-f', '-'], { input: manifest('rollout-canary.yaml') }), /rollout\.argoproj\.io\/rollout-canary unchanged/);
  });

  it('takes server-side apply', async () => {
    const changed = manifest('rollout-bluegreen.yaml').replace('autoPromotionEnabled: false', 'autoPromotionEnabled: true');
    const out = await kubectl.ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: changed });
    assert.match(out, /rollout\.argoproj\.io\/rollout-bluegreen serverside-applied/);
    const rollout = await json<Rollout>(['get', 'rollout', 'rollout-bluegreen']);
    assert.equal(rollout.spec.strategy?.blueGreen?.autoPromotionEnabled, true);
    assert.equal(rollout.spec.strategy?.blueGreen?.prePromotionAnalysis?.templates?.[0]?.templateName, 'success-rate');
  });

  it('stores opaque parts (plugins, other providers, jsonBody) as given', async () => {
    const rollout = await json<Rollout>(['get', 'rollout', 'rollout-canary']);
    assert.deepEqual(rollout.spec.strategy?.canary?.trafficRouting?.plugins, {
      'argoproj-labs/gatewayAPI': { httpRoute: 'rollout-canary-route', namespace: 'default' },
    });
    assert.deepEqual(rollout.spec.strategy?.canary?.steps?.[3], { pause: { duration: '40s' } });
    assert.equal(rollout.metadata?.generation, 1);
    const template = await json<AnalysisTemplate>(['get', 'at', 'success-rate']);
    assert.equal((template.spec.metrics?.[2]?.provider.datadog as { apiVersion?: string } | undefined)?.apiVersion, 'v2');
    assert.deepEqual(template.spec.metrics?.[3]?.provider.plugin, {
      'k8ts/gateway': { service: '{{args.service-name}}', revision: '{{args.canary-hash}}', metric: 'successRate' },
    });
    const cluster = await json<AnalysisTemplate>(['get', 'cat', 'always-pass']);
    assert.deepEqual(cluster.spec.metrics?.[0]?.provider.web?.jsonBody, { probe: 'readiness', tags: ['a', 'b'] });
  });

  it('prints the CRD columns, and more with -o wide', async () => {
    const table = await kubectl.ok(['get', 'rollouts']);
    assert.match(table, /^NAME\s+DESIRED\s+CURRENT\s+UP-TO-DATE\s+AVAILABLE\s+AGE\n/);
    assert.match(table, /\nrollout-canary\s+5\s+/);
    const status = {
      status: {
        phase: 'Paused', replicas: 6, updatedReplicas: 1, readyReplicas: 6, availableReplicas: 6, currentStepIndex: 1, HPAReplicas: 6,
        selector: 'app=rollout-canary', observedGeneration: '1',
        canary: { weights: { canary: { weight: 20, podTemplateHash: 'abc' }, stable: { weight: 80, podTemplateHash: 'def' } } },
        decisions: [{ time: '2025-01-01T00:00:00Z', kind: 'pause', step: 1, message: 'paused at step 1' }],
      },
    };
    await kubectl.ok(['patch', 'rollout', 'rollout-canary', '--subresource=status', '--type=merge', '-p', JSON.stringify(status)]);
    assert.match(await kubectl.ok(['get', 'ro', 'rollout-canary']), /\nrollout-canary\s+5\s+6\s+1\s+6\s+\d+s\n/);
    const wide = await kubectl.ok(['get', 'ro', '-o', 'wide']);
    assert.match(wide, /^NAME\s+DESIRED\s+CURRENT\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+STRATEGY\s+STATUS\s+STEP\s+SET-WEIGHT\s+ACTUAL-WEIGHT\n/);
    assert.match(wide, /\nrollout-canary\s+5\s+6\s+1\s+6\s+\d+s\s+Canary\s+Paused\s+1\/9\s+20\s+20\n/);
    assert.match(wide, /\nrollout-bluegreen\s+2\s+.*BlueGreen/);
    // The status subresource left the spec (and so the generation) alone.
    assert.equal((await json<Rollout>(['get', 'rollout', 'rollout-canary'])).metadata?.generation, 1);
  });

  it('explains the kinds from the served schema', async () => {
    const steps = await kubectl.ok(['explain', 'rollout.spec.strategy.canary.steps']);
    assert.match(steps, /GROUP:\s+argoproj\.io/);
    assert.match(steps, /KIND:\s+Rollout/);
    assert.match(steps, /VERSION:\s+v1alpha1/);
    assert.match(steps, /setWeight\s+<integer>/);
    assert.match(steps, /pause\s+<RolloutPause>|pause\s+<Object>/);
    const pause = await kubectl.ok(['explain', 'ro.spec.strategy.canary.steps.pause.duration']);
    assert.match(pause, /Duration the amount of time to wait/);
    const decisions = await kubectl.ok(['explain', 'rollout.status.decisions']);
    assert.match(decisions, /k8ts extension/);
    assert.match(await kubectl.ok(['explain', 'analysisrun.status.metricResults.measurements']), /value\s+<string>/);
  });

  it('scales through the scale subresource', async () => {
    assert.match(await kubectl.ok(['scale', 'rollout', 'rollout-canary', '--replicas', '3']), /rollout\.argoproj\.io\/rollout-canary scaled/);
    const rollout = await json<Rollout>(['get', 'rollout', 'rollout-canary']);
    assert.equal(rollout.spec.replicas, 3);
    assert.equal(rollout.metadata?.generation, 2);
    const scale = JSON.parse(await kubectl.ok(['get', '--raw', '/apis/argoproj.io/v1alpha1/namespaces/default/rollouts/rollout-canary/scale'])) as {
      spec: { replicas: number }; status: { replicas: number; selector?: string };
    };
    assert.deepEqual([scale.spec.replicas, scale.status.replicas, scale.status.selector], [3, 6, 'app=rollout-canary']);
  });

  it('rejects what Argo\'s validation rejects, with field paths', async () => {
    const result = await kubectl(['apply', '-f', '-'], { input: manifest('invalid-rollout.yaml') });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /The Rollout "invalid-canary" is invalid/);
    assert.match(result.stderr, /spec\.strategy\.canary\.steps\[0\]\.setWeight: Invalid value: 120: SetWeight needs to be between 0 and 100/);
    assert.match(result.stderr, /spec\.strategy\.canary\.steps\[1\]: Invalid value: "step\.Experiment: false step\.Pause: true step\.SetWeight: true/);
    const bad = await kubectl(['apply', '-f', '-'], {
      input: manifest('rollout-bluegreen.yaml').replace('previewService: rollout-bluegreen-preview', 'previewService: rollout-bluegreen-active').replace('name: rollout-bluegreen\n', 'name: bg-same\n'),
    });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /spec\.strategy\.blueGreen\.activeService: Invalid value: "rollout-bluegreen-active": This rollout uses the same service for the active and preview services/);
  });

  it('rejects unknown fields (strict field validation)', async () => {
    const result = await kubectl(['apply', '-f', '-'], { input: manifest('unknown-field.yaml') });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /strict decoding error: unknown field "spec\.strategy\.canary\.steps\[0\]\.setWeigth"/);
  });

  it('serves AnalysisRuns with a status subresource and the STATUS column', async () => {
    const run = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun', metadata: { name: 'run-1' },
      spec: { metrics: [{ name: 'web-ok', successCondition: 'result == true', provider: { web: { url: 'http://127.0.0.1:9/ok' } } }], args: [{ name: 'a', value: 'b' }] },
    };
    assert.match(await kubectl.ok(['create', '-f', '-'], { input: JSON.stringify(run) }), /analysisrun\.argoproj\.io\/run-1 created/);
    await kubectl.ok(['patch', 'ar', 'run-1', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { phase: 'Running', startedAt: '2025-01-01T00:00:00Z' } })]);
    const table = await kubectl.ok(['get', 'ar']);
    assert.match(table, /^NAME\s+STATUS\s+AGE\n/);
    assert.match(table, /\nrun-1\s+Running\s+\d+s\n/);
    assert.match(await kubectl.ok(['get', 'analysistemplates']), /^NAME\s+AGE\nsuccess-rate\s+\d+s\n/);
    assert.match(await kubectl.ok(['api-resources', '--api-group', 'argoproj.io']), /rollouts\s+ro\s+argoproj\.io\/v1alpha1\s+true\s+Rollout/);
  });
});

// autoscaling/v2 HorizontalPodAutoscalers as API objects, with the real kubectl 1.32 against
// `k8ts server` (API only: no controllers, so no HPA status and no scaling). Covers `kubectl
// autoscale` (which creates through autoscaling/v1, in protobuf), the table, explain, apply with a
// behavior and the defaults it reads back, upstream's refusal, and discovery.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { kubectlFor, pinnedKubectl132, type Kubectl, type PinnedKubectl } from '../helpers/kubectl.js';

function hpaManifest(name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, ...spec },
  });
}

describe('autoscaling/v2 HorizontalPodAutoscaler API with kubectl', { timeout: 180_000 }, () => {
  let server: RunningServer;
  let kubectl: Kubectl;
  let pinned: PinnedKubectl;
  const k = (args: readonly string[], input?: string) => pinned.run(args, input);
  const ok = (args: readonly string[], input?: string) => pinned.ok(args, input);
  const json = <T>(args: readonly string[]) => pinned.json<T>(args);

  before(async () => {
    server = await startServer();
    kubectl = kubectlFor(server.kubeconfig);
    pinned = pinnedKubectl132(kubectl);
    await ok(['create', 'deployment', 'web', '--image=nginx:1.27']);
  });
  after(async () => {
    await server?.stop();
    await server?.cleanup();
  });

  it('kubectl autoscale creates an HPA for the deployment', async () => {
    assert.equal((await ok(['autoscale', 'deploy', 'web', '--min=1', '--max=3', '--cpu-percent=50'])).trim(), 'horizontalpodautoscaler.autoscaling/web autoscaled');
    const hpa = await json<HorizontalPodAutoscaler>(['get', 'hpa', 'web']);
    assert.equal(hpa.apiVersion, 'autoscaling/v2');
    assert.deepEqual(hpa.spec, {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 3,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    });
    assert.equal(hpa.metadata?.generation, 1);
    assert.deepEqual(hpa.status, { desiredReplicas: 0 });
  });

  it('kubectl get hpa prints upstream columns, <unknown> before the controller reports', async () => {
    const lines = (await ok(['get', 'hpa'])).trim().split('\n');
    assert.deepEqual(lines[0]?.split(/\s+/), ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']);
    assert.match(lines[1] ?? '', /^web\s+Deployment\/web\s+cpu: <unknown>\/50%\s+1\s+3\s+0\s+\S+$/);
    assert.match(await ok(['get', 'all']), /horizontalpodautoscaler\.autoscaling\/web\s+Deployment\/web/);
  });

  it('kubectl explain hpa.spec.metrics and hpa.spec.behavior', async () => {
    const metrics = await ok(['explain', 'hpa.spec.metrics']);
    assert.match(metrics, /VERSION:\s+v2/);
    assert.match(metrics, /FIELD: metrics <\[\]MetricSpec>/);
    assert.match(await ok(['explain', 'hpa.spec.behavior']), /scaleDown\s+<HPAScalingRules>/);
  });

  it('kubectl apply of an HPA with a behavior: both directions come back filled in', async () => {
    const manifest = hpaManifest('api', {
      minReplicas: 2, maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } } },
        { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 120, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
    });
    assert.equal((await ok(['apply', '-f', '-'], manifest)).trim(), 'horizontalpodautoscaler.autoscaling/api created');
    const hpa = await json<HorizontalPodAutoscaler>(['get', 'hpa', 'api']);
    assert.deepEqual(hpa.spec?.behavior, {
      scaleDown: { stabilizationWindowSeconds: 120, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
      scaleUp: {
        stabilizationWindowSeconds: 0, selectPolicy: 'Max',
        policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
      },
    });
    assert.equal((await ok(['apply', '-f', '-'], manifest)).trim(), 'horizontalpodautoscaler.autoscaling/api unchanged');
    assert.match(await ok(['get', 'hpa', 'api']), /cpu: <unknown>\/60%, memory: <unknown>\/200Mi \+ 1 more\.\.\./);
  });

  it('refuses maxReplicas below minReplicas with upstream\'s message', async () => {
    const result = await k(['apply', '-f', '-'], hpaManifest('small', { minReplicas: 3, maxReplicas: 2 }));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /The HorizontalPodAutoscaler "small" is invalid: spec\.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`/);
    assert.equal((await k(['get', 'hpa', 'small'])).code, 1);
  });

  it('api-resources lists horizontalpodautoscalers (hpa) in autoscaling/v2', async () => {
    const row = (await ok(['api-resources', '--api-group=autoscaling'])).split('\n').find((line) => line.startsWith('horizontalpodautoscalers'));
    assert.match(row ?? '', /^horizontalpodautoscalers\s+hpa\s+autoscaling\/v2\s+true\s+HorizontalPodAutoscaler$/);
  });
});

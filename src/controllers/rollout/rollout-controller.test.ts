// The Rollout controller wired to real informers over FakeClientSet (ControllerHarness): what
// reaches the reconciler from which watch. The case behind issue 6's anomaly (steps setWeight 20
// -> analysis -> pause; traffic found on stable while status said 20): once the rollout pauses
// until promoted nothing requeues it, so a route reset by hand (a re-applied manifest) stayed at
// 100/0 for good. The route and Service watches put it back at once.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ANALYSIS_RUNS, ANALYSIS_TEMPLATES, HTTP_ROUTES, PODS, REPLICASETS, ROLLOUTS, SERVICES } from '../../client/resource-types.js';
import type { AnalysisRunObject, AnalysisTemplateObject } from '../../rollouts/analysis-objects.js';
import type { HTTPRouteObject } from '../../rollouts/traffic/gateway-api-router.js';
import { ControllerHarness } from '../framework/controller-harness.fixture.js';
import { rolloutController } from './rollout-controller.js';
import type { ServiceObject } from './rollout-services.js';
import type { CanaryStep, PodObject, ReplicaSetObject, RolloutObject } from './rollout-types.js';

const NS = 'default';

class Cluster {
  readonly h = new ControllerHarness(rolloutController);
  readonly rollouts = this.h.clients.resource<RolloutObject>(ROLLOUTS);
  readonly rsClient = this.h.clients.resource<ReplicaSetObject>(REPLICASETS);
  readonly routes = this.h.clients.resource<HTTPRouteObject>(HTTP_ROUTES);
  readonly services = this.h.clients.resource<ServiceObject>(SERVICES);
  readonly runs = this.h.clients.resource<AnalysisRunObject>(ANALYSIS_RUNS);

  async setup(steps: CanaryStep[], trafficRouting: Record<string, unknown> = {}): Promise<void> {
    for (const name of ['web-stable', 'web-canary']) {
      await this.services.create(NS, { metadata: { name, namespace: NS }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    }
    await this.routes.create(NS, {
      metadata: { name: 'web-route', namespace: NS },
      spec: { rules: [{ backendRefs: [{ name: 'web-stable', port: 80, weight: 100 }, { name: 'web-canary', port: 80, weight: 0 }] }] },
    });
    await this.h.clients.resource<AnalysisTemplateObject>(ANALYSIS_TEMPLATES).create(NS, {
      metadata: { name: 'ok', namespace: NS },
      spec: { metrics: [{ name: 'success-rate', successCondition: 'result >= 0.95', provider: { web: { url: 'http://metrics/' } } }] },
    });
    await this.rollouts.create(NS, {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout',
      metadata: { name: 'web', namespace: NS },
      spec: {
        replicas: 5,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'web:1' }] } },
        strategy: {
          canary: {
            canaryService: 'web-canary', stableService: 'web-stable', steps,
            trafficRouting: { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'web-route' } }, ...trafficRouting },
          },
        },
      },
    });
    await this.h.start();
    await this.converge();
  }

  /** Reconciles what the watches enqueue; ReplicaSets reach their size with every pod available. */
  async converge(): Promise<void> {
    for (let round = 0; round < 10; round++) {
      await this.h.drain();
      let changed = false;
      for (const rs of (await this.rsClient.list(NS)).items) {
        const n = rs.spec?.replicas ?? 0;
        if (rs.status?.replicas === n && rs.status.availableReplicas === n) continue;
        await this.rsClient.updateStatus(NS, { ...rs, status: { replicas: n, readyReplicas: n, availableReplicas: n } });
        changed = true;
      }
      if (!changed) return this.h.drain();
    }
  }

  async release(image: string): Promise<void> {
    const ro = structuredClone(await this.rollouts.get(NS, 'web'));
    const container = ro.spec?.template?.spec?.containers[0];
    if (container) container.image = image;
    await this.rollouts.update(NS, ro);
    await this.converge();
  }

  async rollout(): Promise<RolloutObject> {
    return this.rollouts.get(NS, 'web');
  }

  async routeWeights(): Promise<number[]> {
    const route = await this.routes.get(NS, 'web-route');
    return route.spec.rules?.[0]?.backendRefs?.map((b) => b.weight ?? 1) ?? [];
  }

  /** Route weights and status.canary.weights agree. */
  async assertRouteMatchesStatus(): Promise<void> {
    const weights = (await this.rollout()).status?.canary?.weights;
    assert.deepEqual(await this.routeWeights(), [weights?.stable.weight, weights?.canary.weight], 'the route carries what status says');
  }

  /** The step analysis run finishes with `phase`. */
  async finishStepRun(phase: 'Successful' | 'Failed'): Promise<void> {
    const run = (await this.runs.list(NS)).items.find((r) => r.metadata?.labels?.['rollout-type'] === 'Step');
    assert.ok(run, 'the analysis step created its run');
    await this.runs.updateStatus(NS, { ...run, status: { phase, metricResults: [{ name: 'success-rate', phase, count: 1, successful: 1 }] } });
    await this.converge();
  }
}

describe('rollout controller watches', () => {
  const clusters: Cluster[] = [];
  const cluster = (): Cluster => {
    const c = new Cluster();
    clusters.push(c);
    return c;
  };
  after(() => clusters.forEach((c) => c.h.stop()));

  it('setWeight 20 -> analysis -> pause: the route carries 20 at the pause, and a route reset by hand is put back without a requeue', async () => {
    const c = cluster();
    await c.setup([{ setWeight: 20 }, { analysis: { templates: [{ templateName: 'ok' }] } }, { pause: {} }]);
    await c.release('web:2');
    let ro = await c.rollout();
    assert.equal(ro.status?.currentStepIndex, 1, 'waiting for the analysis');
    assert.deepEqual(await c.routeWeights(), [80, 20]);

    await c.finishStepRun('Successful');
    ro = await c.rollout();
    assert.equal(ro.status?.currentStepIndex, 2);
    assert.equal(ro.status?.phase, 'Paused');
    assert.equal(ro.status?.canary?.weights?.canary.weight, 20);
    await c.assertRouteMatchesStatus();
    assert.equal((await c.services.get(NS, 'web-canary')).spec?.selector?.['rollouts-pod-template-hash'], ro.status?.currentPodHash);
    assert.equal((await c.services.get(NS, 'web-stable')).spec?.selector?.['rollouts-pod-template-hash'], ro.status?.stableRS);

    // Paused until promoted: nothing is queued any more.
    await c.h.settle();
    assert.deepEqual(c.h.keys, []);

    // `kubectl apply -f route.yaml` again: the manifest's 100/0 replaces the controller's weights.
    const route = structuredClone(await c.routes.get(NS, 'web-route'));
    route.spec.rules = [{ backendRefs: [{ name: 'web-stable', port: 80, weight: 100 }, { name: 'web-canary', port: 80, weight: 0 }] }];
    await c.routes.update(NS, route);
    await c.h.settle();
    assert.deepEqual(c.h.keys, ['default/web'], 'the route change enqueues the rollout that references it');
    await c.h.drain();
    await c.assertRouteMatchesStatus();
    assert.deepEqual(await c.routeWeights(), [80, 20]);

    // Deleted and recreated: the same.
    await c.routes.delete(NS, 'web-route');
    await c.h.drain();
    await c.routes.create(NS, { metadata: { name: 'web-route', namespace: NS }, spec: { rules: route.spec.rules } });
    await c.h.drain();
    assert.deepEqual(await c.routeWeights(), [80, 20]);

    // A Service selector reset by hand (the hash dropped) is pointed at its revision again.
    const canarySvc = structuredClone(await c.services.get(NS, 'web-canary'));
    canarySvc.spec = { ...canarySvc.spec, selector: { app: 'web' } };
    await c.services.update(NS, canarySvc);
    await c.h.drain();
    assert.equal((await c.services.get(NS, 'web-canary')).spec?.selector?.['rollouts-pod-template-hash'], ro.status?.currentPodHash);
    assert.equal((await c.rollout()).status?.currentStepIndex, 2, 'still paused at the same step');
  });

  it('status-only writes and unrelated objects enqueue nothing; pods map to their rollout through the ReplicaSet', async () => {
    const c = cluster();
    await c.setup([{ setWeight: 20 }, { pause: {} }]);
    await c.release('web:2');
    await c.h.settle();
    c.h.keys.length = 0;

    const route = await c.routes.get(NS, 'web-route');
    await c.routes.updateStatus(NS, { ...structuredClone(route), status: { parents: [] } });
    await c.routes.create(NS, { metadata: { name: 'other', namespace: NS }, spec: { rules: [] } });
    await c.services.create(NS, { metadata: { name: 'other', namespace: NS }, spec: { ports: [{ port: 80 }] } });
    await c.h.settle();
    assert.deepEqual(c.h.keys, []);

    const rs = (await c.rsClient.list(NS)).items.find((r) => r.spec?.replicas === 1);
    assert.ok(rs?.metadata?.uid);
    const pods = c.h.clients.resource<PodObject>(PODS);
    const pod = await pods.create(NS, {
      metadata: {
        name: 'web-pod', namespace: NS, labels: { app: 'web' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name ?? '', uid: rs.metadata.uid, controller: true }],
      },
      spec: { containers: [{ name: 'app', image: 'web:2' }] },
    });
    await c.h.settle();
    assert.deepEqual(c.h.keys, ['default/web']);
    c.h.keys.length = 0;
    await pods.updateStatus(NS, { ...pod, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
    await c.h.settle();
    assert.deepEqual(c.h.keys, ['default/web'], 'readiness matters');
  });

  it('maxTrafficWeight: setWeight and the route are out of it', async () => {
    const c = cluster();
    await c.setup([{ setWeight: 50 }, { pause: {} }], { maxTrafficWeight: 1000 });
    assert.deepEqual(await c.routeWeights(), [1000, 0]);
    await c.release('web:2');
    const ro = await c.rollout();
    assert.equal(ro.status?.phase, 'Paused');
    // 50 of 1000 is 5%: one canary pod of 5 is enough, and the route says 50/950.
    assert.deepEqual(await c.routeWeights(), [950, 50]);
    await c.assertRouteMatchesStatus();
    const sizes = (await c.rsClient.list(NS)).items.map((rs) => rs.spec?.replicas).sort();
    assert.deepEqual(sizes, [1, 5]);

    // Promoted: the canary gets all of it, 1000.
    await c.rollouts.updateStatus(NS, { ...structuredClone(ro), status: { ...ro.status, pauseConditions: [] } });
    await c.converge();
    const done = await c.rollout();
    assert.equal(done.status?.stableRS, done.status?.currentPodHash);
    assert.deepEqual(await c.routeWeights(), [1000, 0], 'the new stable takes everything back on the stable Service');
  });
});

// Test harness for the Rollout reconciler: FakeClientSet, snapshot listers refreshed before every
// reconcile, a FakeClock, a FakeEventRecorder, a scripted analysis launcher, and `settle()` standing
// in for the ReplicaSet controller and kubelets (every pod exists and is available at once).
import { FakeEventRecorder } from '../../client/events/fake-event-recorder.js';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { DEPLOYMENTS, HTTP_ROUTES, REPLICASETS, ROLLOUTS, SERVICES } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import type { HTTPRouteObject } from '../../rollouts/traffic/gateway-api-router.js';
import { SnapshotLister } from '../framework/snapshot-lister.fixture.js';
import type { AnalysisOutcome, AnalysisRequest, RolloutAnalysisLauncher, RunPhase } from './rollout-analysis.js';
import { RolloutReconciler } from './rollout-reconciler.js';
import type { ServiceObject } from './rollout-services.js';
import type { DeploymentObject, ReplicaSetObject, RolloutObject, RolloutSpec } from './rollout-types.js';

export class ScriptedAnalysis implements RolloutAnalysisLauncher {
  readonly requests: AnalysisRequest[] = [];
  readonly terminated: string[] = [];
  /** The phase each kind reports next (default Running). */
  readonly phases = new Map<string, RunPhase>();

  ensure(request: AnalysisRequest): Promise<AnalysisOutcome> {
    this.requests.push(structuredClone(request)); // as it was asked: the pass changes its status later
    const key = request.kind === 'step' ? `step-${request.stepIndex ?? 0}` : request.kind;
    const phase = this.phases.get(key) ?? 'Running';
    const failed = phase === 'Failed';
    return Promise.resolve({
      name: `web-${request.podHashes.canary}-${key}`,
      phase,
      ...(failed ? { message: 'Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)' } : {}),
      metrics: [{ name: 'success-rate', phase, value: failed ? '[0.5]' : '[1]', condition: 'result[0] >= 0.95' }],
    });
  }

  terminate(_namespace: string | undefined, name: string): Promise<void> {
    this.terminated.push(name);
    return Promise.resolve();
  }
}

export function podTemplate(image: string): NonNullable<RolloutSpec['template']> {
  return { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image }] } };
}

export class RolloutHarness {
  readonly clock = new FakeClock({ start: new Date('2025-01-01T00:00:00Z') });
  readonly clients = new FakeClientSet({ clock: this.clock });
  readonly recorder = new FakeEventRecorder();
  readonly analysis = new ScriptedAnalysis();
  readonly rolloutClient = this.clients.resource<RolloutObject>(ROLLOUTS);
  readonly rsClient = this.clients.resource<ReplicaSetObject>(REPLICASETS);
  readonly services = this.clients.resource<ServiceObject>(SERVICES);
  readonly routes = this.clients.resource<HTTPRouteObject>(HTTP_ROUTES);
  private readonly listers = {
    rollouts: new SnapshotLister(this.rolloutClient),
    replicaSets: new SnapshotLister(this.rsClient),
    deployments: new SnapshotLister(this.clients.resource<DeploymentObject>(DEPLOYMENTS)),
  };
  readonly reconciler = new RolloutReconciler({
    clients: this.clients, ...this.listers, analysis: this.analysis, recorder: this.recorder, clock: this.clock, logger: silentLogger(),
  });

  async service(name: string): Promise<void> {
    await this.services.create('default', { metadata: { name, namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
  }

  /** An HTTPRoute `web-route` with one rule splitting stable/canary 100/0. */
  async route(annotations: Record<string, string> = {}): Promise<void> {
    await this.routes.create('default', {
      metadata: { name: 'web-route', namespace: 'default', annotations },
      spec: { rules: [{ backendRefs: [{ name: 'web-stable', port: 80, weight: 100 }, { name: 'web-canary', port: 80, weight: 0 }] }] },
    });
  }

  async create(spec: RolloutSpec): Promise<RolloutObject> {
    return this.rolloutClient.create('default', {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 10, selector: { matchLabels: { app: 'web' } }, template: podTemplate('nginx:1'), ...spec },
    });
  }

  async rollout(): Promise<RolloutObject> {
    return this.rolloutClient.get('default', 'web');
  }

  async edit(change: (ro: RolloutObject) => void, status = false): Promise<void> {
    const ro = structuredClone(await this.rollout());
    change(ro);
    if (status) await this.rolloutClient.updateStatus('default', ro);
    else await this.rolloutClient.update('default', ro);
  }

  async reconcile(): Promise<{ requeueAfterMs?: number }> {
    await Promise.all([this.listers.rollouts.sync(), this.listers.replicaSets.sync(), this.listers.deployments.sync()]);
    return (await this.reconciler.reconcile('default/web', new AbortController().signal)) ?? {};
  }

  /** ReplicaSets reach their spec: every pod exists; `ready` more per RS become available. */
  async settle(ready = Infinity): Promise<void> {
    for (const rs of (await this.rsClient.list('default')).items) {
      const wanted = rs.spec?.replicas ?? 0;
      const available = Math.min(wanted, Math.min(rs.status?.availableReplicas ?? 0, wanted) + ready);
      await this.rsClient.updateStatus('default', { ...rs, status: { replicas: wanted, readyReplicas: available, availableReplicas: available } });
    }
  }

  /** Reconcile and settle until nothing changes (at most `rounds`). */
  async run(rounds = 12): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      await this.reconcile();
      await this.settle();
    }
  }

  async sizes(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const rs of (await this.rsClient.list('default')).items) out[rs.metadata?.labels?.['rollouts-pod-template-hash'] ?? ''] = rs.spec?.replicas ?? 0;
    return out;
  }

  async weights(): Promise<number[]> {
    const route = await this.routes.get('default', 'web-route');
    return (route.spec.rules ?? []).at(-1)?.backendRefs?.map((b) => b.weight ?? 1) ?? [];
  }

  async selector(service: string): Promise<string | undefined> {
    return (await this.services.get('default', service)).spec?.selector?.['rollouts-pod-template-hash'];
  }
}

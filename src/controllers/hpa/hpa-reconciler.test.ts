import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HorizontalPodAutoscalerSpec, MetricSpec } from 'kubernetes-types/autoscaling/v2.js';
import type { LabelSelectorRequirementSet } from '../../api/selectors/label-selector.js';
import { matchesLabels } from '../../api/selectors/label-selector.js';
import { FakeEventRecorder } from '../../client/events/fake-event-recorder.js';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { DEPLOYMENTS, HORIZONTAL_POD_AUTOSCALERS, PODS } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { ConflictError } from '../../lib/errors.js';
import { silentLogger } from '../../lib/logger.js';
import type { DeploymentObject, PodObject } from '../framework/kube-object-types.js';
import { SnapshotLister } from '../framework/snapshot-lister.fixture.js';
import { HpaReconciler } from './hpa-reconciler.js';
import type { HpaSettings } from './hpa-settings.js';
import type { HpaObject } from './hpa-types.js';
import type { PodMetricsSource, PodUsage } from './pod-metrics-source.js';
import { ScaleSubresourceClients } from './scale-subresource.fixture.js';

const NS = 'default';
const KEY = 'default/web';
const MINUTE = 60_000;
const CPU_50: MetricSpec = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } };

/** Usage the test sets per pod; every pod with an entry has a full 30 s sample ending now. */
class FakePodMetrics implements PodMetricsSource {
  readonly cpuMilli = new Map<string, number>();
  readonly #clock: FakeClock;
  readonly #pods: () => Promise<PodObject[]>;

  constructor(clock: FakeClock, pods: () => Promise<PodObject[]>) {
    this.#clock = clock;
    this.#pods = pods;
  }

  async podMetrics(namespace: string, selector: LabelSelectorRequirementSet): Promise<ReadonlyMap<string, PodUsage>> {
    const result = new Map<string, PodUsage>();
    for (const pod of await this.#pods()) {
      const name = pod.metadata?.name ?? '';
      const cpu = this.cpuMilli.get(name);
      if (cpu === undefined || pod.metadata?.namespace !== namespace || !matchesLabels(selector, pod.metadata.labels)) continue;
      result.set(name, { timestampMs: this.#clock.now().getTime(), windowMs: 30_000, containers: new Map([['app', { cpuMilli: cpu, memoryBytes: 0 }]]) });
    }
    return result;
  }
}

interface PodShape {
  readonly cpuRequest?: string | null;
  /** Started this long ago (default 10 min: past the cpu initialization period). */
  readonly startedAgoMs?: number;
  readonly ready?: boolean;
}

describe('HpaReconciler', () => {
  let clock: FakeClock;
  let fake: FakeClientSet;
  let clients: ScaleSubresourceClients;
  let recorder: FakeEventRecorder;
  let hpas: SnapshotLister<HpaObject>;
  let pods: SnapshotLister<PodObject>;
  let metrics: FakePodMetrics;

  beforeEach(() => {
    clock = new FakeClock({ start: new Date('2025-01-01T00:00:00Z') });
    fake = new FakeClientSet({ clock });
    clients = new ScaleSubresourceClients(fake);
    recorder = new FakeEventRecorder();
    hpas = new SnapshotLister(fake.resource<HpaObject>(HORIZONTAL_POD_AUTOSCALERS));
    pods = new SnapshotLister(fake.resource<PodObject>(PODS));
    metrics = new FakePodMetrics(clock, async () => (await fake.resource<PodObject>(PODS).list(NS)).items);
  });

  function reconcilerWith(settings: Partial<HpaSettings> = {}): HpaReconciler {
    return new HpaReconciler({ clients, hpas, pods, metrics, recorder, clock, logger: silentLogger(), settings });
  }

  function seedDeployment(replicas: number): void {
    const deployment: DeploymentObject = {
      metadata: { name: 'web', namespace: NS },
      spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
    };
    fake.seed(DEPLOYMENTS, deployment);
  }

  function seedPod(name: string, shape: PodShape = {}): void {
    const started = new Date(clock.now().getTime() - (shape.startedAgoMs ?? 10 * MINUTE)).toISOString();
    const request = shape.cpuRequest === undefined ? '500m' : shape.cpuRequest;
    const pod: PodObject = {
      metadata: { name, namespace: NS, labels: { app: 'web' } },
      spec: { containers: [{ name: 'app', image: 'nginx', ...(request === null ? {} : { resources: { requests: { cpu: request } } }) }] },
      status: {
        phase: 'Running', startTime: started,
        conditions: [{ type: 'Ready', status: shape.ready === false ? 'False' : 'True', lastTransitionTime: started }],
      },
    };
    fake.seed(PODS, pod);
  }

  /** `usage` in millicores per pod (each requests 500m unless told otherwise). */
  function seedPods(usage: readonly (number | undefined)[], shape: PodShape = {}): void {
    usage.forEach((cpu, i) => {
      seedPod(`web-${i}`, shape);
      if (cpu !== undefined) metrics.cpuMilli.set(`web-${i}`, cpu);
    });
  }

  function seedHpa(spec: Partial<HorizontalPodAutoscalerSpec> = {}): void {
    const hpa: HpaObject = {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: NS, generation: 3 },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, metrics: [CPU_50], ...spec },
    };
    fake.seed(HORIZONTAL_POD_AUTOSCALERS, hpa);
  }

  async function pass(reconciler: HpaReconciler): Promise<number | undefined> {
    await hpas.sync();
    await pods.sync();
    return (await reconciler.reconcile(KEY, new AbortController().signal)).requeueAfterMs;
  }

  async function replicas(): Promise<number | undefined> {
    return (await fake.resource<DeploymentObject>(DEPLOYMENTS).get(NS, 'web')).spec?.replicas;
  }

  async function liveHpa(): Promise<HpaObject> {
    return fake.resource<HpaObject>(HORIZONTAL_POD_AUTOSCALERS).get(NS, 'web');
  }

  async function condition(type: string): Promise<{ status?: string; reason?: string; message?: string } | undefined> {
    return (await liveHpa()).status?.conditions?.find((c) => c.type === type);
  }

  it('scales up on high cpu: desired = ceil(utilization / target * pods), with event and status', async () => {
    seedDeployment(4);
    // 4 pods requesting 500m use 400m + 450m + 500m + 650m = 2000m of 2000m: utilization 100%.
    // Against 50%: ratio 2.0, outside the 0.1 tolerance, desired = ceil(2.0 * 4) = 8.
    seedPods([400, 450, 500, 650]);
    seedHpa();
    const requeue = await pass(reconcilerWith());

    assert.equal(requeue, 15_000);
    assert.equal(await replicas(), 8);
    assert.deepEqual(recorder.events.map((e) => [e.type, e.reason, e.message]), [
      ['Normal', 'SuccessfulRescale', 'New size: 8; reason: cpu resource utilization (percentage of request) above target'],
    ]);
    const status = (await liveHpa()).status;
    assert.equal(status?.currentReplicas, 4);
    assert.equal(status?.desiredReplicas, 8);
    assert.equal(status?.lastScaleTime, '2025-01-01T00:00:00Z');
    assert.deepEqual(status?.currentMetrics, [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 100, averageValue: '500m' } } }]);
    assert.equal(status?.observedGeneration, 3);
    assert.deepEqual(await condition('AbleToScale'), {
      type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: 'the HPA controller was able to update the target scale to 8',
      lastTransitionTime: '2025-01-01T00:00:00Z',
    });
    assert.deepEqual(await condition('ScalingActive'), {
      type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound',
      message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
      lastTransitionTime: '2025-01-01T00:00:00Z',
    });
    assert.equal((await condition('ScalingLimited'))?.reason, 'DesiredWithinRange');
  });

  it('changes nothing within the tolerance, and skips a status write that would change nothing', async () => {
    seedDeployment(4);
    // 4 * 270m / 2000m = 54%: ratio 1.08, within 1 ± 0.1.
    seedPods([270, 270, 270, 270]);
    seedHpa();
    const reconciler = reconcilerWith();
    await pass(reconciler);
    assert.equal(await replicas(), 4);
    assert.deepEqual(clients.scaleWrites, []);
    assert.deepEqual(recorder.events, []);
    assert.equal((await liveHpa()).status?.desiredReplicas, 4);
    assert.equal((await condition('AbleToScale'))?.reason, 'ReadyForNewScale');

    const statusWrites = fake.writes('update', 'horizontalpodautoscalers').length;
    clock.advance(15_000);
    await pass(reconciler);
    assert.equal(fake.writes('update', 'horizontalpodautoscalers').length, statusWrites);
  });

  it('scales down only once the 300 s stabilization window has no higher recommendation', async () => {
    seedDeployment(4);
    // 4 * 50m / 2000m = 10%: ratio 0.2, desired ceil(0.2 * 4) = 1.
    seedPods([50, 50, 50, 50]);
    seedHpa();
    const reconciler = reconcilerWith();
    await pass(reconciler);
    assert.equal(await replicas(), 4, 'the first pass remembers the current size as a recommendation');
    assert.equal((await condition('AbleToScale'))?.reason, 'ScaleDownStabilized');
    assert.equal((await liveHpa()).status?.desiredReplicas, 4);

    clock.advance(299_000);
    await pass(reconciler);
    assert.equal(await replicas(), 4, 'the size seen at 0 s is still inside the window');

    clock.advance(2_000);
    await pass(reconciler);
    assert.equal(await replicas(), 1);
    assert.equal(recorder.events.at(-1)?.message, 'New size: 1; reason: All metrics below target');
  });

  it('behavior policies limit a scale-up to 4 pods or 100% per 15 s, whichever is more', async () => {
    seedDeployment(2);
    // 2 pods at 2500m of 500m: 500%, ratio 10, desired 20.
    seedPods([2500, 2500]);
    seedHpa({ maxReplicas: 50, behavior: {} });
    const reconciler = reconcilerWith();
    await pass(reconciler);
    // From 2: "4 pods" allows 6, "100%" allows 4; Max picks 6.
    assert.equal(await replicas(), 6);
    assert.deepEqual(await condition('ScalingLimited'), {
      type: 'ScalingLimited', status: 'True', reason: 'ScaleUpLimit',
      message: 'the desired replica count is increasing faster than the maximum scale rate', lastTransitionTime: '2025-01-01T00:00:00Z',
    });

    clock.advance(10_000);
    await pass(reconciler);
    assert.equal(await replicas(), 6, 'the +4 of 10 s ago still counts: the period started at 2');

    clock.advance(6_000);
    await pass(reconciler);
    // The period now starts at 6: "4 pods" allows 10, "100%" allows 12.
    assert.equal(await replicas(), 12);
  });

  it('selectPolicy Min takes the smaller allowance, Disabled none', async () => {
    seedDeployment(2);
    seedPods([2500, 2500]);
    seedHpa({ maxReplicas: 50, behavior: { scaleUp: { selectPolicy: 'Min' } } });
    await pass(reconcilerWith());
    assert.equal(await replicas(), 4, '100% of 2 is the smaller step');

    await fake.resource<HpaObject>(HORIZONTAL_POD_AUTOSCALERS).patch(NS, 'web', 'merge', { spec: { behavior: { scaleUp: { selectPolicy: 'Disabled' } } } });
    const disabled = reconcilerWith();
    await pass(disabled);
    assert.equal(await replicas(), 4);
  });

  it('clamps to maxReplicas with ScalingLimited TooManyReplicas', async () => {
    seedDeployment(4);
    seedPods([400, 450, 500, 650]);
    seedHpa({ maxReplicas: 5 });
    await pass(reconcilerWith());
    assert.equal(await replicas(), 5);
    assert.deepEqual(await condition('ScalingLimited'), {
      type: 'ScalingLimited', status: 'True', reason: 'TooManyReplicas',
      message: 'the desired replica count is more than the maximum replica count', lastTransitionTime: '2025-01-01T00:00:00Z',
    });
  });

  it('clamps to minReplicas with ScalingLimited TooFewReplicas', async () => {
    seedDeployment(4);
    seedPods([50, 50, 50, 50]);
    seedHpa({ minReplicas: 3 });
    const reconciler = reconcilerWith({ downscaleStabilizationMs: 1_000 });
    await pass(reconciler);
    clock.advance(2_000);
    await pass(reconciler);
    assert.equal(await replicas(), 3);
    const limited = await condition('ScalingLimited');
    assert.equal(limited?.status, 'True');
    assert.equal(limited?.reason, 'TooFewReplicas');
    assert.equal(limited?.message, 'the desired replica count is less than the minimum replica count');
  });

  it('brings a target above maxReplicas down without reading metrics', async () => {
    seedDeployment(12);
    seedHpa({ maxReplicas: 10 });
    await pass(reconcilerWith());
    assert.equal(await replicas(), 10);
    assert.equal(recorder.events[0]?.message, 'New size: 10; reason: Current number of replicas above Spec.MaxReplicas');
  });

  it('counts unready pods as using nothing on a scale-up', async () => {
    seedDeployment(4);
    // Ready pods use 750m (150%); two pods started a minute ago and are not Ready yet (their
    // samples would read 150% too). Ratio on ready pods: 3.0, so a scale-up: the unready pods
    // count as 0: (750 + 750 + 0 + 0) / 2000 = 75%, ratio 1.5, desired ceil(1.5 * 4) = 6.
    // Had their samples counted: ratio 3.0, desired 12 (8 after the doubling limit).
    seedPod('web-0');
    seedPod('web-1');
    seedPod('web-2', { startedAgoMs: MINUTE, ready: false });
    seedPod('web-3', { startedAgoMs: MINUTE, ready: false });
    for (const name of ['web-0', 'web-1', 'web-2', 'web-3']) metrics.cpuMilli.set(name, 750);
    seedHpa();
    await pass(reconcilerWith());
    assert.equal(await replicas(), 6);
    // Reported utilization is that of the pods trusted.
    assert.equal((await liveHpa()).status?.currentMetrics?.[0]?.resource?.current.averageUtilization, 150);
  });

  it('counts a pod without metrics as using its full request on a scale-down', async () => {
    seedDeployment(4);
    // 3 pods at 50m (10%) and one without a sample: ratio 0.2, a scale-down, so the missing pod
    // counts 500m: (150 + 500) / 2000 = 32%, ratio 0.64, desired ceil(0.64 * 4) = 3 (not 1).
    seedPods([50, 50, 50, undefined]);
    seedHpa();
    const reconciler = reconcilerWith({ downscaleStabilizationMs: 1_000 });
    await pass(reconciler);
    clock.advance(2_000);
    await pass(reconciler);
    assert.equal(await replicas(), 3);
  });

  it('a pod without a cpu request makes ScalingActive False, with upstream\'s message and events', async () => {
    seedDeployment(2);
    seedPods([400, 400]);
    seedPod('web-2', { cpuRequest: null });
    metrics.cpuMilli.set('web-2', 400);
    seedHpa();
    await pass(reconcilerWith());
    assert.deepEqual(clients.scaleWrites, []);
    const expected = 'failed to get cpu utilization: missing request for cpu in container app of Pod web-2';
    assert.deepEqual(await condition('ScalingActive'), {
      type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric',
      message: `the HPA was unable to compute the replica count: ${expected}`, lastTransitionTime: '2025-01-01T00:00:00Z',
    });
    assert.deepEqual(recorder.events.map((e) => [e.type, e.reason, e.message]), [
      ['Warning', 'FailedGetResourceMetric', expected],
      ['Warning', 'FailedComputeMetricsReplicas', `invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${expected}`],
    ]);
    assert.equal((await liveHpa()).status?.currentReplicas, 2);
  });

  it('Pods, Object and External metrics fail as without custom/external metrics APIs; a working metric still scales up', async () => {
    seedDeployment(4);
    seedPods([400, 450, 500, 650]);
    const podsMetric: MetricSpec = { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } };
    seedHpa({ metrics: [podsMetric] });
    await pass(reconcilerWith());
    assert.deepEqual(await condition('ScalingActive'), {
      type: 'ScalingActive', status: 'False', reason: 'FailedGetPodsMetric', lastTransitionTime: '2025-01-01T00:00:00Z',
      message: 'the HPA was unable to compute the replica count: unable to get metric rps: unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered',
    });
    assert.equal(await replicas(), 4);

    await fake.resource<HpaObject>(HORIZONTAL_POD_AUTOSCALERS).patch(NS, 'web', 'merge', { spec: { metrics: [podsMetric, CPU_50] } });
    await pass(reconcilerWith());
    assert.equal(await replicas(), 8, 'a failed metric may not block a scale-up another metric asks for');
    assert.equal((await condition('ScalingActive'))?.reason, 'ValidMetricFound');
  });

  it('leaves a target at 0 replicas alone: ScalingActive False ScalingDisabled', async () => {
    seedDeployment(0);
    seedHpa();
    await pass(reconcilerWith());
    assert.equal(await replicas(), 0);
    assert.deepEqual(await condition('ScalingActive'), {
      type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled',
      message: 'scaling is disabled since the replica count of the target is zero', lastTransitionTime: '2025-01-01T00:00:00Z',
    });
    assert.equal((await condition('AbleToScale'))?.reason, 'SucceededGetScale');
    assert.equal((await liveHpa()).status?.desiredReplicas, 0);
  });

  it('an unknown target kind is AbleToScale False FailedGetScale', async () => {
    seedHpa({ scaleTargetRef: { apiVersion: 'example.com/v1', kind: 'Widget', name: 'web' } });
    const requeue = await pass(reconcilerWith());
    assert.equal(requeue, 15_000, 'tried again next period');
    assert.deepEqual(await condition('AbleToScale'), {
      type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', lastTransitionTime: '2025-01-01T00:00:00Z',
      message: 'the HPA controller was unable to get the target\'s current scale: no matches for kind "Widget" in group "example.com"',
    });
    assert.deepEqual(recorder.reasons(), ['FailedGetScale']);
  });

  it('a failed scale write is AbleToScale False FailedUpdateScale with a FailedRescale event', async () => {
    seedDeployment(4);
    seedPods([400, 450, 500, 650]);
    seedHpa();
    clients.failScaleWrites = new ConflictError('Operation cannot be fulfilled');
    await pass(reconcilerWith());
    assert.equal(await replicas(), 4);
    assert.equal((await condition('AbleToScale'))?.reason, 'FailedUpdateScale');
    assert.deepEqual(recorder.events.map((e) => [e.reason, e.message]), [
      ['FailedRescale', 'New size: 8; reason: cpu resource utilization (percentage of request) above target; error: Operation cannot be fulfilled'],
    ]);
  });

  it('a deleted HPA is not requeued', async () => {
    const requeue = await pass(reconcilerWith());
    assert.equal(requeue, undefined);
  });

  it('the sync period is an option', async () => {
    seedDeployment(0);
    seedHpa();
    assert.equal(await pass(reconcilerWith({ syncPeriodMs: 5_000 })), 5_000);
  });
});

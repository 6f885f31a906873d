// Upstream's reconcileAutoscaler: read the target's Scale, compute the size the metrics ask for,
// stabilize and limit it, write it through the Scale, and report in status and events. Every HPA
// is evaluated again each sync period (15 s), whatever happened.
import type { HorizontalPodAutoscalerCondition, HorizontalPodAutoscalerStatus, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import { jsonEqual } from '../../api/validation/json-access.js';
import type { EventRecorder } from '../../client/events/event-recorder.js';
import type { Lister } from '../../client/informer/informer.js';
import type { ClientSet, ResourceType } from '../../client/resource-client.js';
import { HORIZONTAL_POD_AUTOSCALERS } from '../../client/resource-types.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { PodObject } from '../framework/kube-object-types.js';
import { splitObjectKey } from '../framework/object-key.js';
import type { ReconcileResult, Reconciler } from '../framework/reconciler.js';
import { setHpaCondition, type HpaCondition } from './hpa-conditions.js';
import { DEFAULT_HPA_SETTINGS, type HpaSettings } from './hpa-settings.js';
import type { HpaObject } from './hpa-types.js';
import { evaluateMetrics } from './metric-evaluation.js';
import type { PodMetricsSource } from './pod-metrics-source.js';
import { normalizeWithBehavior, normalizeWithoutBehavior, type Normalized } from './replica-normalizer.js';
import { readScale, scaleTargetResource, writeScale, type ScaleObject } from './scale-target.js';
import { resolveBehavior } from './scaling-behavior.js';
import { ScalingHistory } from './scaling-history.js';

export interface HpaReconcilerOptions {
  readonly clients: ClientSet;
  readonly hpas: Lister<HpaObject>;
  readonly pods: Lister<PodObject>;
  readonly metrics: PodMetricsSource;
  readonly recorder: EventRecorder;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings?: Partial<HpaSettings>;
}

/** The metric an HPA without spec.metrics gets (upstream's API default): cpu at 80% of request. */
const DEFAULT_METRICS: readonly MetricSpec[] = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** RFC 3339 to the second, as metav1.Time serializes. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** One pass over one HPA: the status it builds up and the events it emits. */
interface Pass {
  readonly key: string;
  readonly hpa: HpaObject;
  readonly namespace: string;
  readonly now: Date;
  readonly conditions: HorizontalPodAutoscalerCondition[];
}

export class HpaReconciler implements Reconciler {
  readonly name = 'horizontal-pod-autoscaler';
  readonly #clients: ClientSet;
  readonly #hpas: Lister<HpaObject>;
  readonly #pods: Lister<PodObject>;
  readonly #metrics: PodMetricsSource;
  readonly #recorder: EventRecorder;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #settings: HpaSettings;
  readonly #history = new ScalingHistory();

  constructor(options: HpaReconcilerOptions) {
    this.#clients = options.clients;
    this.#hpas = options.hpas;
    this.#pods = options.pods;
    this.#metrics = options.metrics;
    this.#recorder = options.recorder;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#settings = { ...DEFAULT_HPA_SETTINGS, ...options.settings };
  }

  async reconcile(key: string, signal: AbortSignal = new AbortController().signal): Promise<ReconcileResult> {
    const { namespace = '', name } = splitObjectKey(key);
    const hpa = this.#hpas.get(namespace, name);
    if (hpa === undefined) {
      this.#history.forget(key);
      return {};
    }
    const pass: Pass = { key, hpa, namespace, now: this.#clock.now(), conditions: structuredClone(hpa.status?.conditions ?? []) };
    await this.#autoscale(pass, signal);
    return { requeueAfterMs: this.#settings.syncPeriodMs };
  }

  async #autoscale(pass: Pass, signal: AbortSignal): Promise<void> {
    const { hpa, key, namespace } = pass;
    const spec = hpa.spec;
    if (spec === undefined) return;
    const set = (condition: HpaCondition): void => setHpaCondition(pass.conditions, condition, pass.now);
    const previous = hpa.status;

    let target: ResourceType;
    let scale: ScaleObject;
    try {
      target = scaleTargetResource(spec.scaleTargetRef);
      scale = await readScale(this.#clients, target, namespace, spec.scaleTargetRef.name);
    } catch (error) {
      this.#warn(hpa, 'FailedGetScale', errorText(error));
      set({ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: ${errorText(error)}` });
      await this.#writeStatus(pass, { ...previous, desiredReplicas: previous?.desiredReplicas ?? 0 });
      return;
    }
    set({ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: 'the HPA controller was able to get the target\'s current scale' });
    const currentReplicas = scale.spec?.replicas ?? 0;
    this.#history.recordInitialRecommendation(key, currentReplicas, pass.now.getTime());

    const minReplicas = spec.minReplicas ?? 1;
    let desiredReplicas = 0;
    let reason = '';
    let statuses: MetricStatus[] | undefined;
    let rescale = true;
    if (currentReplicas === 0 && minReplicas !== 0) {
      // Someone scaled the target to zero on purpose: the HPA stands aside until it is scaled up.
      rescale = false;
      set({ type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' });
    } else if (currentReplicas > spec.maxReplicas) {
      reason = 'Current number of replicas above Spec.MaxReplicas';
      desiredReplicas = spec.maxReplicas;
    } else if (currentReplicas < minReplicas) {
      reason = 'Current number of replicas below Spec.MinReplicas';
      desiredReplicas = minReplicas;
    } else {
      const evaluation = await evaluateMetrics({
        namespace,
        metrics: spec.metrics?.length ? spec.metrics : DEFAULT_METRICS,
        specReplicas: currentReplicas,
        selector: typeof scale.status?.selector === 'string' ? scale.status.selector : '',
        pods: this.#pods,
        source: this.#metrics,
        settings: this.#settings,
        nowMs: pass.now.getTime(),
        signal,
        warn: (eventReason, message) => this.#warn(hpa, eventReason, message),
      });
      statuses = evaluation.statuses;
      if (evaluation.scalingActive) set(evaluation.scalingActive);
      if (evaluation.replicas === -1) {
        await this.#writeStatus(pass, this.#status(pass, currentReplicas, previous?.desiredReplicas ?? 0, statuses, false));
        this.#warn(hpa, 'FailedComputeMetricsReplicas', evaluation.error ?? '');
        return;
      }
      if (evaluation.error !== undefined) this.#logger.warn({ hpa: key, error: evaluation.error }, 'some metrics failed; scaling on the others');
      desiredReplicas = evaluation.replicas;
      if (desiredReplicas > currentReplicas) reason = `${evaluation.metricName} above target`;
      if (desiredReplicas < currentReplicas) reason = 'All metrics below target';
      const normalized = this.#normalize(pass, currentReplicas, desiredReplicas, minReplicas);
      set(normalized.ableToScale);
      set(normalized.scalingLimited);
      desiredReplicas = normalized.replicas;
      rescale = desiredReplicas !== currentReplicas;
    }

    if (rescale) {
      try {
        await writeScale(this.#clients, target, scale, desiredReplicas);
      } catch (error) {
        this.#warn(hpa, 'FailedRescale', `New size: ${desiredReplicas}; reason: ${reason}; error: ${errorText(error)}`);
        set({ type: 'AbleToScale', status: 'False', reason: 'FailedUpdateScale', message: `the HPA controller was unable to update the target scale: ${errorText(error)}` });
        await this.#writeStatus(pass, this.#status(pass, currentReplicas, previous?.desiredReplicas ?? 0, statuses, false));
        return;
      }
      set({ type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: `the HPA controller was able to update the target scale to ${desiredReplicas}` });
      this.#recorder.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desiredReplicas}; reason: ${reason}`);
      if (spec.behavior) {
        this.#history.recordScale(key, resolveBehavior(spec.behavior, this.#downscaleWindowSeconds()), currentReplicas, desiredReplicas, pass.now.getTime());
      }
      this.#logger.info({ hpa: key, currentReplicas, desiredReplicas, reason }, 'rescaled');
    } else {
      desiredReplicas = currentReplicas;
    }
    await this.#writeStatus(pass, this.#status(pass, currentReplicas, desiredReplicas, statuses, rescale));
  }

  #downscaleWindowSeconds(): number {
    return Math.round(this.#settings.downscaleStabilizationMs / 1000);
  }

  #normalize(pass: Pass, currentReplicas: number, desiredReplicas: number, minReplicas: number): Normalized {
    const spec = pass.hpa.spec;
    const input = { key: pass.key, currentReplicas, desiredReplicas, minReplicas, maxReplicas: spec?.maxReplicas ?? 0, nowMs: pass.now.getTime() };
    if (spec?.behavior === undefined) return normalizeWithoutBehavior(input, this.#history, this.#settings.downscaleStabilizationMs);
    return normalizeWithBehavior(input, resolveBehavior(spec.behavior, this.#downscaleWindowSeconds()), this.#history);
  }

  /** Upstream's setStatus: rebuilt each pass; lastScaleTime moves only when the target was rescaled. */
  #status(pass: Pass, currentReplicas: number, desiredReplicas: number, metrics: MetricStatus[] | undefined, rescaled: boolean): HorizontalPodAutoscalerStatus {
    const lastScaleTime = rescaled ? timestamp(pass.now) : pass.hpa.status?.lastScaleTime;
    const generation = pass.hpa.metadata?.generation;
    return {
      currentReplicas,
      desiredReplicas,
      ...(lastScaleTime !== undefined ? { lastScaleTime } : {}),
      ...(metrics?.length ? { currentMetrics: metrics } : {}),
      ...(generation !== undefined ? { observedGeneration: generation } : {}),
    };
  }

  /** Writes status (with this pass's conditions) unless nothing changed; a lost race is retried. */
  async #writeStatus(pass: Pass, status: HorizontalPodAutoscalerStatus): Promise<void> {
    const next: HorizontalPodAutoscalerStatus = { ...status, ...(pass.conditions.length ? { conditions: pass.conditions } : {}) };
    if (jsonEqual(next, pass.hpa.status ?? {})) return;
    try {
      await this.#clients.resource<HpaObject>(HORIZONTAL_POD_AUTOSCALERS).updateStatus(pass.namespace, { ...pass.hpa, status: next });
    } catch (error) {
      this.#warn(pass.hpa, 'FailedUpdateStatus', errorText(error));
      throw error;
    }
  }

  #warn(hpa: HpaObject, reason: string, message: string): void {
    this.#recorder.event(hpa, 'Warning', reason, message);
  }
}

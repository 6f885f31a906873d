// The HorizontalPodAutoscaler controller's wiring. HPAs are keys; pods are only read (the pass
// lists those the target's Scale selects). Each HPA is re-evaluated every sync period by the
// reconciler's own requeue, so status-only updates (its own writes) enqueue nothing.
// Registered in src/cmd/workloads-host.ts with the metrics source built in cmd.
import { HORIZONTAL_POD_AUTOSCALERS, PODS } from '../../client/resource-types.js';
import { componentLogger } from '../../lib/logger.js';
import type { ControllerFactory } from '../framework/controller-context.js';
import type { PodObject } from '../framework/kube-object-types.js';
import { objectKey } from '../framework/object-key.js';
import { HpaReconciler } from './hpa-reconciler.js';
import type { HpaSettings } from './hpa-settings.js';
import type { HpaObject } from './hpa-types.js';
import type { PodMetricsSource } from './pod-metrics-source.js';

export interface HpaControllerOptions {
  /** Where pod usage comes from (cmd/pod-metrics-source.ts in a server). */
  readonly metrics: PodMetricsSource;
  /** Overrides of upstream's flag defaults (sync period 15 s, tolerance 0.1, ...). */
  readonly settings?: Partial<HpaSettings>;
  readonly workers?: number;
}

export function createHpaController(options: HpaControllerOptions): ControllerFactory {
  return (context) => {
    const hpas = context.informers.informerFor<HpaObject>(HORIZONTAL_POD_AUTOSCALERS);
    const pods = context.informers.informerFor<PodObject>(PODS);
    const reconciler = new HpaReconciler({
      clients: context.clients,
      hpas: hpas.lister,
      pods: pods.lister,
      metrics: options.metrics,
      recorder: context.recorder,
      clock: context.clock,
      logger: componentLogger(context.logger, 'horizontal-pod-autoscaler-controller'),
      ...(options.settings ? { settings: options.settings } : {}),
    });
    return {
      reconciler,
      ...(options.workers === undefined ? {} : { workers: options.workers }),
      connect(enqueue) {
        const enqueueHpa = (hpa: HpaObject): void => enqueue(objectKey(hpa));
        hpas.addHandlers({
          add: enqueueHpa,
          // A spec change is acted on now; status changes (our own writes) wait for the period.
          update: (old, next) => { if (old.metadata?.generation !== next.metadata?.generation) enqueueHpa(next); },
          // The pass finds it gone and forgets its history.
          delete: enqueueHpa,
        });
      },
    };
  };
}

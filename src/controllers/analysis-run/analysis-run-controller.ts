// Wires the AnalysisRun reconciler to its informer and the metric providers. Registered in
// src/cmd/workloads-host.ts; the gateway admin address comes from `k8ts server` flags there.
import { ANALYSIS_RUNS } from '../../client/resource-types.js';
import { componentLogger } from '../../lib/logger.js';
import {
  GatewayMetricProvider, PrometheusMetricProvider, WebMetricProvider, type MetricProviders,
} from '../../rollouts/analysis/index.js';
import type { ControllerFactory } from '../framework/controller-context.js';
import { objectKey } from '../framework/object-key.js';
import type { AnalysisRunObject } from '../../rollouts/analysis-objects.js';
import { AnalysisRunReconciler } from './analysis-run-reconciler.js';

/** The gateway admin server's default port (`k8ts server --gateway-admin-port`). */
export const DEFAULT_GATEWAY_ADMIN_PORT = 9080;
/** Where `gateway` metrics are read when neither the metric nor the flags say otherwise. */
export const DEFAULT_GATEWAY_ADMIN_ADDRESS = `http://127.0.0.1:${DEFAULT_GATEWAY_ADMIN_PORT}`;

export interface AnalysisRunControllerOptions {
  /** Base URL of the gateway admin server (GET /stats); default DEFAULT_GATEWAY_ADMIN_ADDRESS. */
  readonly gatewayAdminAddress?: string;
  /** Prometheus address for metrics that give none (Argo: ARGO_ROLLOUTS_PROMETHEUS_ADDRESS). */
  readonly prometheusAddress?: string;
  /** Replaces the providers built from the two addresses (tests). */
  readonly providers?: MetricProviders;
  /** Upper bound on one measuring pass (default 5 minutes). */
  readonly passTimeoutMs?: number;
  readonly workers?: number;
}

/** web, prometheus and the k8ts gateway (`gateway` or `plugin: {k8ts/gateway: ...}`). */
export function defaultMetricProviders(options: { readonly gatewayAdminAddress?: string; readonly prometheusAddress?: string } = {}): MetricProviders {
  return {
    web: new WebMetricProvider(),
    prometheus: new PrometheusMetricProvider(options.prometheusAddress === undefined ? {} : { defaultAddress: options.prometheusAddress }),
    gateway: new GatewayMetricProvider({ address: options.gatewayAdminAddress ?? DEFAULT_GATEWAY_ADMIN_ADDRESS }),
  };
}

export function createAnalysisRunController(options: AnalysisRunControllerOptions = {}): ControllerFactory {
  return (context) => {
    const analysisRuns = context.informers.informerFor<AnalysisRunObject>(ANALYSIS_RUNS);
    const reconciler = new AnalysisRunReconciler({
      clients: context.clients,
      analysisRuns: analysisRuns.lister,
      providers: options.providers ?? defaultMetricProviders(options),
      recorder: context.recorder,
      clock: context.clock,
      logger: componentLogger(context.logger, 'analysis-run-controller'),
      ...(options.passTimeoutMs === undefined ? {} : { passTimeoutMs: options.passTimeoutMs }),
    });
    return {
      reconciler,
      ...(options.workers === undefined ? {} : { workers: options.workers }),
      connect(enqueue, enqueueAfter) {
        reconciler.bindQueue(enqueue, enqueueAfter);
        const enqueueRun = (run: AnalysisRunObject): void => enqueue(objectKey(run));
        analysisRuns.addHandlers({ add: enqueueRun, update: (_old, run) => enqueueRun(run), delete: enqueueRun });
      },
    };
  };
}

/** The controller with default options, for composition roots that have no gateway flags. */
export const analysisRunController: ControllerFactory = createAnalysisRunController();

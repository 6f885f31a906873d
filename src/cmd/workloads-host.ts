// What `k8ts server` runs next to the API server, all as API clients over the in-process client:
// the controller manager (leader-elected; its leader also runs the scheduler) and, unless
// --no-agent, a node agent for this machine.
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { ApiEventRecorder } from '../client/events/api-event-recorder.js';
import { SharedInformerFactory } from '../client/informer/shared-informer-factory.js';
import type { ClientSet } from '../client/resource-client.js';
import {
  ANALYSIS_RUNS, CONTROLLER_REVISIONS, CRON_JOBS, DAEMON_SETS, ENDPOINTSLICES, EVENTS, JOBS, ROLLOUTS, SERVICES, STATEFUL_SETS,
} from '../client/resource-types.js';
import { ControllerManager } from '../controllers/controller-manager.js';
import { createAnalysisRunController } from '../controllers/analysis-run/analysis-run-controller.js';
import { cronJobController } from '../controllers/cronjob/cronjob-controller.js';
import { daemonSetController } from '../controllers/daemonset/daemon-set-controller.js';
import { deploymentController } from '../controllers/deployment/deployment-controller.js';
import { disruptionController } from '../controllers/disruption/disruption-controller.js';
import type { ControllerFactory } from '../controllers/framework/controller-context.js';
import { endpointSliceController } from '../controllers/endpoint-slice/endpoint-slice-controller.js';
import { endpointsController } from '../controllers/endpoints/endpoints-controller.js';
import { createGatewayStatusController } from '../controllers/gateway-status/gateway-status-controller.js';
import type { ListenerHealth } from '../controllers/gateway-status/listener-health.js';
import { DEFAULT_GC_RESOURCES, garbageCollectorFor } from '../controllers/garbage-collector/garbage-collector.js';
import { createHpaController } from '../controllers/hpa/hpa-controller.js';
import { jobController } from '../controllers/job/job-controller.js';
import { jobOrphanPodController } from '../controllers/job/orphan-pod-controller.js';
import { namespaceController } from '../controllers/namespace/namespace-controller.js';
import { serviceAccountController } from '../controllers/service-account/service-account-controller.js';
import { createNodeLifecycleController } from '../controllers/node-lifecycle/node-lifecycle-controller.js';
import { podGarbageCollector } from '../controllers/pod-gc/pod-gc-controller.js';
import { replicaSetController } from '../controllers/replicaset/replica-set-controller.js';
import { createRootCaPublisher } from '../controllers/root-ca-publisher/root-ca-controller.js';
import { rolloutController } from '../controllers/rollout/rollout-controller.js';
import { serviceLoadBalancerController } from '../controllers/service-lb/service-lb-controller.js';
import { statefulSetController } from '../controllers/statefulset/stateful-set-controller.js';
import { ttlAfterFinishedController } from '../controllers/ttl-after-finished/ttl-after-finished-controller.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { componentLogger, type Logger } from '../lib/logger.js';
import { DEFAULT_SCHEDULER_NAME, Scheduler } from '../scheduler/scheduler.js';
import { startNodeAgent, type RunningNodeAgent } from './node-agent-host.js';
import { AgentPodMetricsSource } from './pod-metrics-source.js';
import { runSchedulerThread } from './scheduler-thread.js';
import type { ServerFlags } from './server-flags.js';

export interface WorkloadsHostOptions {
  /**
   * A client set whose writes carry `fieldManager` in managedFields: each component gets
   * upstream's name (kube-controller-manager, kube-scheduler, kubelet), as upstream's API server
   * derives it from each component's user agent.
   */
  readonly clientsFor: (fieldManager: string) => ClientSet;
  readonly flags: ServerFlags;
  readonly clock: Clock;
  readonly logger: Logger;
  /** PEM of the cluster CA, published as `kube-root-ca.crt` in every namespace. */
  readonly caCert: string;
  /** The admin token: the embedded agent's log server accepts what the API server passes on. */
  readonly token: string;
  readonly tls: { readonly key: string; readonly cert: string };
  /** The gateway data plane this process runs (absent with --no-gateway): Gateway status reports unbound ports. */
  readonly listenerHealth?: ListenerHealth;
}

export interface RunningWorkloads {
  stop(): Promise<void>;
}

export async function startWorkloads(options: WorkloadsHostOptions): Promise<RunningWorkloads> {
  const { flags, clock, logger } = options;
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  let manager: Promise<void> | undefined;
  if (flags.controllers) {
    const clients = options.clientsFor('kube-controller-manager');
    const controllers: ControllerFactory[] = [
      replicaSetController,
      deploymentController,
      daemonSetController,
      statefulSetController,
      // Jobs: pods counted through their tracking finalizer; the orphan-pod queue frees the pods
      // no Job will count any more (deleted, finished or unowned Jobs').
      jobController,
      jobOrphanPodController,
      cronJobController,
      ttlAfterFinishedController,
      // HorizontalPodAutoscalers read pod usage from the node agents, as the metrics API does.
      createHpaController({
        metrics: new AgentPodMetricsSource({ clients, agentToken: options.token, logger: componentLogger(logger, 'hpa-metrics') }),
      }),
      // Services own their EndpointSlices: the collector must see both to delete the slices.
      // Rollouts own their ReplicaSets and AnalysisRuns (kubectl delete rollout cascades); Jobs
      // their pods, CronJobs their Jobs; DaemonSets and StatefulSets their pods and
      // ControllerRevisions.
      garbageCollectorFor({
        resources: [
          ...DEFAULT_GC_RESOURCES, SERVICES, ENDPOINTSLICES, ROLLOUTS, ANALYSIS_RUNS, JOBS, CRON_JOBS,
          DAEMON_SETS, STATEFUL_SETS, CONTROLLER_REVISIONS,
        ],
      }),
      namespaceController,
      // A `default` ServiceAccount in every namespace (kubectl create token default).
      serviceAccountController,
      // `kube-root-ca.crt` in every namespace: the CA in-cluster clients verify the API server with.
      createRootCaPublisher({ caCert: options.caCert }),
      podGarbageCollector,
      endpointsController,
      endpointSliceController,
      rolloutController,
      // PodDisruptionBudget status, which pods/eviction (kubectl drain) decides from.
      disruptionController,
      serviceLoadBalancerController,
      // Gateway API status: Gateways report the address the built-in gateway binds, and listeners
      // whose port it could not bind are not Programmed.
      createGatewayStatusController(flags.gateway ? {
        gatewayAddress: flags.gateway.address,
        ...(options.listenerHealth !== undefined ? { listenerHealth: options.listenerHealth } : {}),
      } : {}),
      // AnalysisRuns; `gateway` metrics read /stats from the admin port of the built-in gateway
      // (with --gateway-admin-port 0 the port is only known later: such metrics need provider.address).
      createAnalysisRunController(flags.gateway !== undefined && flags.gateway.adminPort > 0
        ? { gatewayAdminAddress: `http://127.0.0.1:${flags.gateway.adminPort}` } : {}),
      createNodeLifecycleController({
        nodeMonitorGracePeriodMs: flags.controllers.nodeMonitorGracePeriodMs,
        nodeStartupGracePeriodMs: flags.controllers.nodeStartupGracePeriodMs,
      }),
    ];
    const schedulerLogger = componentLogger(logger, 'scheduler');
    const schedulerClients = options.clientsFor('kube-scheduler');
    // On its own thread unless asked not to; a host clock other than the system's (tests pinning
    // time) keeps it in-process, since the thread runs on the system clock.
    const onThread = flags.controllers.schedulerThread && clock === systemClock;
    const runScheduler = (signal: AbortSignal): Promise<void> => onThread
      ? runSchedulerThread({ clients: schedulerClients, logger: schedulerLogger }, signal)
      : new Scheduler({
        clients: schedulerClients,
        informers: new SharedInformerFactory({ clients: schedulerClients, logger: schedulerLogger }),
        clock,
        logger: schedulerLogger,
        recorder: new ApiEventRecorder({ events: schedulerClients.resource(EVENTS), clock, logger: schedulerLogger, component: DEFAULT_SCHEDULER_NAME }),
      }).run(signal);
    const identity = `${hostname()}_${randomUUID()}`;
    manager = new ControllerManager({ clients, clock, logger, controllers, leaderElection: { identity }, leaderTasks: [runScheduler] })
      .run(controller.signal)
      .catch((error: unknown) => logger.error({ err: error }, 'controller manager failed'));
    logger.info({ identity, controllers: controllers.length, schedulerThread: onThread }, 'controller manager and scheduler campaigning for leadership');
  }
  let agent: RunningNodeAgent | undefined;
  if (flags.agent) {
    agent = await startNodeAgent({
      clients: options.clientsFor('kubelet'), flags: flags.agent, dataDir: flags.dataDir, clock, logger, token: options.token, tls: options.tls,
      // The log server listens where the API server does; the OS picks the port.
      address: flags.address, port: 0,
    });
  }
  return {
    async stop() {
      controller.abort();
      await manager;
      await agent?.stop();
    },
  };
}

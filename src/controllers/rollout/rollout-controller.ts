// Wires the Rollout reconciler to informers: Rollouts; their ReplicaSets and AnalysisRuns (mapped
// to the owning Rollout, so a run turning Failed reconciles the rollout at once and the route moves
// back to stable within the same pass); their pods (through the ReplicaSet); Deployments named by a
// workloadRef; the Services and HTTPRoutes they reference (through indexes on the Rollouts, so a
// route or Service edited or recreated by hand is put back at once, even during a pause that
// never requeues).
import type { KubeObject } from '../../api/object.js';
import type { Informer } from '../../client/informer/informer.js';
import {
  ANALYSIS_RUNS, ANALYSIS_TEMPLATES, CLUSTER_ANALYSIS_TEMPLATES, DEPLOYMENTS, HTTP_ROUTES, PODS, REPLICASETS, ROLLOUTS, SERVICES,
} from '../../client/resource-types.js';
import { componentLogger } from '../../lib/logger.js';
import type { AnalysisRunObject, AnalysisTemplateObject, ClusterAnalysisTemplateObject } from '../../rollouts/analysis-objects.js';
import type { ControllerFactory } from '../framework/controller-context.js';
import { getControllerOf } from '../framework/controller-ref.js';
import { objectKey } from '../framework/object-key.js';
import { AnalysisLauncher } from './analysis-launcher.js';
import { RolloutReconciler } from './rollout-reconciler.js';
import type { DeploymentObject, PodObject, ReplicaSetObject, RolloutObject, ServiceObject } from './rollout-types.js';
import {
  podChanged, podOwnerRollout, referrersOf, ROLLOUT_HTTPROUTES_INDEX, ROLLOUT_INDEXERS, ROLLOUT_SERVICES_INDEX, specOrMetadataChanged,
} from './rollout-watch-index.js';

export const rolloutController: ControllerFactory = (context) => {
  const rollouts = context.informers.informerFor<RolloutObject>(ROLLOUTS);
  const replicaSets = context.informers.informerFor<ReplicaSetObject>(REPLICASETS);
  const deployments = context.informers.informerFor<DeploymentObject>(DEPLOYMENTS);
  const analysisRuns = context.informers.informerFor<AnalysisRunObject>(ANALYSIS_RUNS);
  const analysisTemplates = context.informers.informerFor<AnalysisTemplateObject>(ANALYSIS_TEMPLATES);
  const clusterAnalysisTemplates = context.informers.informerFor<ClusterAnalysisTemplateObject>(CLUSTER_ANALYSIS_TEMPLATES);
  const services = context.informers.informerFor<ServiceObject>(SERVICES);
  const httpRoutes = context.informers.informerFor<KubeObject>(HTTP_ROUTES);
  const pods = context.informers.informerFor<PodObject>(PODS);
  rollouts.addIndexers(ROLLOUT_INDEXERS);
  const reconciler = new RolloutReconciler({
    clients: context.clients,
    rollouts: rollouts.lister,
    replicaSets: replicaSets.lister,
    deployments: deployments.lister,
    analysis: new AnalysisLauncher({
      clients: context.clients,
      analysisRuns: analysisRuns.lister,
      analysisTemplates: analysisTemplates.lister,
      clusterAnalysisTemplates: clusterAnalysisTemplates.lister,
    }),
    recorder: context.recorder,
    clock: context.clock,
    logger: componentLogger(context.logger, 'rollout-controller'),
  });
  return {
    reconciler,
    connect(enqueue) {
      const enqueueRollout = (ro: RolloutObject): void => enqueue(objectKey(ro));
      const enqueueOwner = (child: KubeObject): void => {
        const owner = getControllerOf(child);
        if (owner?.kind !== 'Rollout') return;
        const namespace = child.metadata?.namespace;
        enqueue(namespace ? `${namespace}/${owner.name}` : owner.name);
      };
      rollouts.addHandlers({ add: enqueueRollout, update: (_old, ro) => enqueueRollout(ro), delete: enqueueRollout });
      replicaSets.addHandlers({ add: enqueueOwner, update: (_old, rs) => enqueueOwner(rs), delete: enqueueOwner });
      analysisRuns.addHandlers({ add: enqueueOwner, update: (_old, run) => enqueueOwner(run), delete: enqueueOwner });
      const enqueueReferrers = (d: DeploymentObject): void => {
        const namespace = d.metadata?.namespace;
        for (const ro of rollouts.lister.list(namespace !== undefined ? { namespace } : {})) {
          if (ro.spec?.workloadRef?.name === d.metadata?.name) enqueueRollout(ro);
        }
      };
      deployments.addHandlers({ add: enqueueReferrers, update: (_old, d) => enqueueReferrers(d) });
      // Referenced objects: the rollout's own writes come back here too, and find nothing to do.
      const watchReferenced = <T extends KubeObject>(informer: Informer<T>, index: string): void => {
        const enqueueAll = (object: T): void => {
          for (const key of referrersOf(rollouts.lister, index, object)) enqueue(key);
        };
        informer.addHandlers({
          add: enqueueAll,
          update: (old, object) => {
            if (specOrMetadataChanged(old, object)) enqueueAll(object);
          },
          delete: enqueueAll,
        });
      };
      watchReferenced(services, ROLLOUT_SERVICES_INDEX);
      watchReferenced(httpRoutes, ROLLOUT_HTTPROUTES_INDEX);
      const enqueuePodOwner = (pod: PodObject): void => {
        const key = podOwnerRollout(pod, replicaSets.lister);
        if (key !== undefined) enqueue(key);
      };
      pods.addHandlers({
        add: enqueuePodOwner,
        update: (old, pod) => {
          if (podChanged(old, pod)) enqueuePodOwner(pod);
        },
        delete: enqueuePodOwner,
      });
    },
  };
};

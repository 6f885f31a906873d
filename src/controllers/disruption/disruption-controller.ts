// The disruption controller's wiring: a PDB maps to itself; a pod to every PDB of its namespace
// that selects it (before and after a label change); a ReplicaSet or Deployment whose replicas
// change to every PDB of its namespace, since expectedPods may follow its scale.
import { DEPLOYMENTS, PODDISRUPTIONBUDGETS, PODS, REPLICASETS } from '../../client/resource-types.js';
import { componentLogger } from '../../lib/logger.js';
import type { ControllerFactory } from '../framework/controller-context.js';
import type { DeploymentObject as Deployment, PodObject as Pod, ReplicaSetObject as ReplicaSet } from '../framework/kube-object-types.js';
import { objectKey } from '../framework/object-key.js';
import { budgetSelects, DisruptionReconciler, type PdbObject } from './disruption-reconciler.js';

interface Scaled {
  readonly metadata?: { readonly namespace?: string };
  readonly spec?: { readonly replicas?: number };
}

export const disruptionController: ControllerFactory = (context) => {
  const budgets = context.informers.informerFor<PdbObject>(PODDISRUPTIONBUDGETS);
  const pods = context.informers.informerFor<Pod>(PODS);
  const replicaSets = context.informers.informerFor<ReplicaSet>(REPLICASETS);
  const deployments = context.informers.informerFor<Deployment>(DEPLOYMENTS);
  const reconciler = new DisruptionReconciler({
    clients: context.clients,
    budgets: budgets.lister,
    pods: pods.lister,
    replicaSets: replicaSets.lister,
    deployments: deployments.lister,
    clock: context.clock,
    logger: componentLogger(context.logger, 'disruption-controller'),
    recorder: context.recorder,
  });
  return {
    reconciler,
    connect(enqueue) {
      const inNamespace = (namespace: string | undefined): PdbObject[] =>
        budgets.lister.list(namespace === undefined ? {} : { namespace });
      const budgetsOf = (pod: Pod): void => {
        for (const pdb of inNamespace(pod.metadata?.namespace)) {
          if (budgetSelects(pdb, pod)) enqueue(objectKey(pdb));
        }
      };
      budgets.addHandlers({
        add: (pdb) => enqueue(objectKey(pdb)),
        update: (_old, pdb) => enqueue(objectKey(pdb)),
      });
      pods.addHandlers({
        add: budgetsOf,
        update: (oldPod, newPod) => {
          if (oldPod.metadata?.resourceVersion === newPod.metadata?.resourceVersion) return;
          budgetsOf(newPod);
          if (JSON.stringify(oldPod.metadata?.labels ?? {}) !== JSON.stringify(newPod.metadata?.labels ?? {})) budgetsOf(oldPod);
        },
        delete: budgetsOf,
      });
      const scaleChanged = (oldObject: Scaled, newObject: Scaled): void => {
        if (oldObject.spec?.replicas === newObject.spec?.replicas) return;
        for (const pdb of inNamespace(newObject.metadata?.namespace)) enqueue(objectKey(pdb));
      };
      replicaSets.addHandlers({ update: scaleChanged });
      deployments.addHandlers({ update: scaleChanged });
    },
  };
};

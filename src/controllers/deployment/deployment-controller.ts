// Wires the Deployment reconciler to informers: deployments, their ReplicaSets (mapped to the
// owning deployment, or for orphans to every deployment whose selector matches) and, for the
// Recreate strategy, pod deletions (the new ReplicaSet waits until old pods are gone).
import { labelSelectorFromObject, matchesLabels } from '../../api/selectors/label-selector.js';
import { DEPLOYMENTS, PODS, REPLICASETS } from '../../client/resource-types.js';
import type { Lister } from '../../client/informer/informer.js';
import { componentLogger } from '../../lib/logger.js';
import type { ControllerFactory } from '../framework/controller-context.js';
import { getControllerOf } from '../framework/controller-ref.js';
import { objectKey } from '../framework/object-key.js';
import type { DeploymentObject, PodObject, ReplicaSetObject } from './deployment-types.js';
import { DeploymentReconciler } from './deployment-reconciler.js';

/** The deployment controlling `rs`, or those that could adopt it when it is an orphan. */
function deploymentsFor(rs: ReplicaSetObject, deployments: Lister<DeploymentObject>): DeploymentObject[] {
  const namespace = rs.metadata?.namespace;
  const owner = getControllerOf(rs);
  if (owner) {
    if (owner.kind !== 'Deployment') return [];
    const d = deployments.get(namespace, owner.name);
    return d && d.metadata?.uid === owner.uid ? [d] : [];
  }
  return deployments.list(namespace !== undefined ? { namespace } : {}).filter((d) => {
    try {
      return matchesLabels(labelSelectorFromObject(d.spec?.selector), rs.metadata?.labels);
    } catch {
      return false;
    }
  });
}

export const deploymentController: ControllerFactory = (context) => {
  const deployments = context.informers.informerFor<DeploymentObject>(DEPLOYMENTS);
  const replicaSets = context.informers.informerFor<ReplicaSetObject>(REPLICASETS);
  const pods = context.informers.informerFor<PodObject>(PODS);
  const reconciler = new DeploymentReconciler({
    clients: context.clients,
    deployments: deployments.lister,
    replicaSets: replicaSets.lister,
    pods: pods.lister,
    recorder: context.recorder,
    clock: context.clock,
    logger: componentLogger(context.logger, 'deployment-controller'),
  });
  return {
    reconciler,
    connect(enqueue) {
      const enqueueDeployment = (d: DeploymentObject): void => enqueue(objectKey(d));
      const enqueueForReplicaSet = (rs: ReplicaSetObject): void => {
        for (const d of deploymentsFor(rs, deployments.lister)) enqueueDeployment(d);
      };
      deployments.addHandlers({ add: enqueueDeployment, update: (_old, d) => enqueueDeployment(d), delete: enqueueDeployment });
      replicaSets.addHandlers({
        add: enqueueForReplicaSet,
        update: (oldRS, rs) => {
          // A changed owner or labels may concern the previous deployment too.
          if (getControllerOf(oldRS)?.uid !== getControllerOf(rs)?.uid) enqueueForReplicaSet(oldRS);
          enqueueForReplicaSet(rs);
        },
        delete: enqueueForReplicaSet,
      });
      pods.addHandlers({
        delete: (pod) => {
          const owner = getControllerOf(pod);
          if (owner?.kind !== 'ReplicaSet') return;
          const rs = replicaSets.lister.get(pod.metadata?.namespace, owner.name);
          if (!rs || rs.metadata?.uid !== owner.uid) return;
          for (const d of deploymentsFor(rs, deployments.lister)) {
            if (d.spec?.strategy?.type === 'Recreate') enqueueDeployment(d);
          }
        },
      });
    },
  };
};

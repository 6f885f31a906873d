// `k8ts rollout undo NAME [--to-revision N]`: puts a previous revision's pod template back into
// the Rollout (or into the Deployment of a workloadRef), as the Argo plugin does; the controller
// then rolls out that template as a new revision through the usual steps. Revision 0 means "the
// one before the newest": with ReplicaSets at revisions 1, 2 and 3 that is revision 2.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { DeploymentSpec } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../api/object.js';
import { ROLLOUT_POD_TEMPLATE_HASH_LABEL } from '../../api/rollouts/index.js';
import type { ClientSet } from '../../client/resource-client.js';
import { DEPLOYMENTS, ROLLOUTS } from '../../client/resource-types.js';
import { BadRequestError, NotFoundError } from '../../lib/errors.js';
import type { ReplicaSetObject } from './cli-object-types.js';
import { loadRolloutObjects, revisionOf } from './rollout-objects.js';

export interface UndoOptions {
  readonly clients: ClientSet;
  readonly namespace: string;
  readonly name: string;
  /** 0: the previous revision. */
  readonly toRevision: number;
}

/** The ReplicaSet of `toRevision`, or of the second-newest revision when it is 0. */
export function replicaSetForRevision(name: string, replicaSets: readonly ReplicaSetObject[], toRevision: number): ReplicaSetObject {
  if (toRevision > 0) {
    const found = replicaSets.find((rs) => revisionOf(rs.metadata?.annotations) === toRevision);
    if (!found) {
      const known = [...new Set(replicaSets.map((rs) => revisionOf(rs.metadata?.annotations)))].sort((a, b) => a - b);
      throw new NotFoundError(`unable to find specified revision ${toRevision} in history of rollout "${name}" (revisions: ${known.join(', ') || 'none'})`);
    }
    return found;
  }
  const newestFirst = [...replicaSets].sort((a, b) => revisionOf(b.metadata?.annotations) - revisionOf(a.metadata?.annotations));
  const previous = newestFirst[1];
  if (!previous) throw new NotFoundError(`no revision found for rollout "${name}": it has only one revision, nothing to undo`);
  return previous;
}

/**
 * True when every field set in `wanted` has the same value in `actual` (apimachinery's
 * DeepDerivative): the ReplicaSet's template carries server defaults the Rollout's may lack.
 */
export function isDerivative(wanted: unknown, actual: unknown): boolean {
  if (wanted === undefined || wanted === null) return true;
  if (Array.isArray(wanted)) {
    return Array.isArray(actual) && wanted.length === actual.length && wanted.every((item, index) => isDerivative(item, actual[index]));
  }
  if (typeof wanted === 'object') {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return Object.keys(wanted).length === 0;
    const record = actual as Record<string, unknown>;
    return Object.entries(wanted).every(([key, value]) => isDerivative(value, record[key]));
  }
  return wanted === actual;
}

/** The template without the pod-template-hash label, which the controller adds per revision. */
export function withoutHash(template: PodTemplateSpec | undefined): PodTemplateSpec {
  const copy = structuredClone(template ?? {});
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[ROLLOUT_POD_TEMPLATE_HASH_LABEL];
  }
  return copy;
}

type DeploymentObject = KubeObject & { spec?: DeploymentSpec };

export async function undoRollout(options: UndoOptions): Promise<string> {
  const { rollout, replicaSets } = await loadRolloutObjects(options.clients, options.namespace, options.name);
  const target = replicaSetForRevision(options.name, replicaSets, options.toRevision);
  const template = withoutHash(target.spec?.template);
  const workloadRef = rollout.spec.workloadRef;
  let current: PodTemplateSpec | undefined = rollout.spec.template;
  if (workloadRef) {
    if (workloadRef.kind !== 'Deployment' || workloadRef.name === undefined) {
      throw new BadRequestError(`rollout "${options.name}": undo supports a workloadRef to a Deployment only, not ${workloadRef.kind ?? 'an unnamed kind'}`);
    }
    const deployment = await options.clients.resource<DeploymentObject>(DEPLOYMENTS).get(options.namespace, workloadRef.name);
    current = deployment.spec?.template;
  }
  if (isDerivative(withoutHash(current), template)) {
    return `skipped rollback (current template already matches revision ${revisionOf(target.metadata?.annotations)})\n`;
  }
  const patch = [{ op: 'replace', path: '/spec/template', value: template }];
  if (workloadRef?.name !== undefined) {
    await options.clients.resource(DEPLOYMENTS).patch(options.namespace, workloadRef.name, 'json', patch);
  } else {
    await options.clients.resource(ROLLOUTS).patch(options.namespace, options.name, 'json', patch);
  }
  return `rollout '${options.name}' undo\n`;
}

// Whether a node should run the DaemonSet's pod (upstream: NodeShouldRunDaemonPod). The checks are
// the scheduler's own (node selector, required node affinity, taints), applied to the pod the
// DaemonSet would create there, so the controller never asks for a pod the scheduler would refuse.
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { matchesRequiredNodeAffinity } from '../../scheduler/framework/required-node-affinity.js';
import { firstUntolerated } from '../../scheduler/framework/toleration.js';
import { withDaemonPodTolerations } from './daemon-pod-tolerations.js';
import type { DaemonSetObject } from './daemon-set-types.js';

export interface NodePlacement {
  /** A daemon pod should be created here if there is none. */
  readonly shouldRun: boolean;
  /** A daemon pod already here may stay (it tolerates every NoExecute taint). */
  readonly shouldContinueRunning: boolean;
}

const NOT_HERE: NodePlacement = { shouldRun: false, shouldContinueRunning: false };
const HERE: NodePlacement = { shouldRun: true, shouldContinueRunning: true };

function taintsWithEffects(node: Node, effects: readonly string[]): Taint[] {
  return (node.spec?.taints ?? []).filter((taint) => effects.includes(taint.effect));
}

/**
 * Example: a node tainted `dedicated=gpu:NoSchedule` that the template does not tolerate gives
 * { shouldRun: false, shouldContinueRunning: true }: no new pod goes there, but one already
 * running stays. With `:NoExecute` instead, both are false and the pod is removed.
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSetObject): NodePlacement {
  const nodeName = node.metadata?.name ?? '';
  const templateSpec = ds.spec?.template?.spec ?? { containers: [] };
  // A template pinned to one node by name runs nowhere else.
  if (templateSpec.nodeName !== undefined && templateSpec.nodeName !== '' && templateSpec.nodeName !== nodeName) return NOT_HERE;

  const pod: Pod = {
    metadata: { ...(ds.spec?.template?.metadata ?? {}) },
    spec: { ...withDaemonPodTolerations(templateSpec), nodeName },
  };
  if (!matchesRequiredNodeAffinity(pod, node)) return NOT_HERE;

  const tolerations = pod.spec?.tolerations;
  if (firstUntolerated(taintsWithEffects(node, ['NoSchedule', 'NoExecute']), tolerations) === undefined) return HERE;
  return {
    shouldRun: false,
    shouldContinueRunning: firstUntolerated(taintsWithEffects(node, ['NoExecute']), tolerations) === undefined,
  };
}

// A pod's hard node constraints: spec.nodeSelector AND the required node affinity terms (upstream:
// nodeaffinity.GetRequiredNodeAffinity). Used by the NodeAffinity filter and by PodTopologySpread,
// which only counts domains on nodes the pod could go to.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { anyTermMatches } from './node-selector-match.js';

export function matchesNodeSelector(pod: Pod, node: Node): boolean {
  const selector = pod.spec?.nodeSelector;
  if (!selector) return true;
  const labels = node.metadata?.labels ?? {};
  for (const key of Object.keys(selector)) {
    if (!Object.prototype.hasOwnProperty.call(labels, key) || labels[key] !== selector[key]) return false;
  }
  return true;
}

export function matchesRequiredNodeAffinity(pod: Pod, node: Node): boolean {
  if (!matchesNodeSelector(pod, node)) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return anyTermMatches(required.nodeSelectorTerms, node);
}

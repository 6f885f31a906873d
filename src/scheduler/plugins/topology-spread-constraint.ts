// Resolved pod topology spread constraints, shared by the PodTopologySpread filter and score.
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import {
  labelSelectorFromObject,
  matchesLabels,
  NOTHING_LABEL_SELECTOR,
  type LabelSelectorRequirementSet,
} from '../../api/selectors/label-selector.js';
import type { NodeInfo } from '../framework/node-info.js';
import { sharedOwnerUid } from '../framework/pod-key.js';
import { matchesRequiredNodeAffinity } from '../framework/required-node-affinity.js';
import { firstUntolerated } from '../framework/toleration.js';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';

export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: LabelSelectorRequirementSet;
  readonly minDomains: number;
  readonly honorNodeAffinity: boolean;
  readonly honorNodeTaints: boolean;
  /** Default (system) constraints count the pods of the pod's first owner instead of a selector. */
  readonly ownerUid: string | undefined;
}

function selectorWithMatchLabelKeys(pod: Pod, constraint: TopologySpreadConstraint): LabelSelectorRequirementSet {
  const base: LabelSelector | undefined = constraint.labelSelector;
  const labels = pod.metadata?.labels ?? {};
  const extra = (constraint.matchLabelKeys ?? [])
    .filter((key) => Object.prototype.hasOwnProperty.call(labels, key))
    .map((key) => ({ key, operator: 'In', values: [labels[key] ?? ''] }));
  const selector = extra.length && base ? { ...base, matchExpressions: [...(base.matchExpressions ?? []), ...extra] } : base;
  try {
    return labelSelectorFromObject(selector);
  } catch {
    return NOTHING_LABEL_SELECTOR;
  }
}

export function spreadConstraints(pod: Pod, action: 'DoNotSchedule' | 'ScheduleAnyway'): SpreadConstraint[] {
  return (pod.spec?.topologySpreadConstraints ?? [])
    .filter((c) => c.whenUnsatisfiable === action)
    .map((c) => ({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector: selectorWithMatchLabelKeys(pod, c),
      minDomains: c.minDomains ?? 1,
      honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorNodeTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
      ownerUid: undefined,
    }));
}

/**
 * The system default soft spread (upstream: hostname maxSkew 3, zone maxSkew 5, ScheduleAnyway),
 * for a pod without constraints of its own. Upstream selects "the same workload" by the selectors
 * of the Services/ReplicaSets that match the pod; k8ts groups by the pod's first owner instead.
 */
export function defaultSpreadConstraints(pod: Pod): SpreadConstraint[] {
  const uid = pod.metadata?.ownerReferences?.[0]?.uid;
  if (!uid) return [];
  const ownerUid = sharedOwnerUid(uid);
  const base = { selector: NOTHING_LABEL_SELECTOR, minDomains: 1, honorNodeAffinity: true, honorNodeTaints: false, ownerUid };
  return [
    { ...base, maxSkew: 3, topologyKey: LABEL_HOSTNAME },
    { ...base, maxSkew: 5, topologyKey: LABEL_ZONE },
  ];
}

export function nodeHasAllKeys(info: NodeInfo, constraints: readonly SpreadConstraint[]): boolean {
  const labels = info.labels;
  for (const c of constraints) if (!Object.prototype.hasOwnProperty.call(labels, c.topologyKey)) return false;
  return true;
}

/** nodeAffinityPolicy / nodeTaintsPolicy: whether this node's domain counts at all. */
export function nodeIncluded(pod: Pod, info: NodeInfo, c: SpreadConstraint): boolean {
  if (c.honorNodeAffinity && !matchesRequiredNodeAffinity(pod, info.node)) return false;
  if (c.honorNodeTaints && firstUntolerated(info.hardTaints, pod.spec?.tolerations)) return false;
  return true;
}

/** Pods on the node that the constraint counts: same namespace, selected, not terminating. */
export function countMatching(info: NodeInfo, c: SpreadConstraint, namespace: string): number {
  if (c.ownerUid !== undefined) return info.podsPerOwner.get(c.ownerUid) ?? 0;
  let count = 0;
  for (const pod of info.pods.values()) {
    if (pod.metadata?.deletionTimestamp) continue;
    if ((pod.metadata?.namespace ?? 'default') !== namespace) continue;
    if (matchesLabels(c.selector, pod.metadata?.labels)) count++;
  }
  return count;
}

export function selfMatches(pod: Pod, c: SpreadConstraint): boolean {
  return c.ownerUid !== undefined || matchesLabels(c.selector, pod.metadata?.labels);
}

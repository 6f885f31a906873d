// A DaemonSet's RollingUpdate step (upstream: rollingUpdate and updatedDesiredNodeCounts): which
// old pods to delete now and on which nodes to start a new pod early, within maxUnavailable or
// maxSurge. The manage pass then creates pods where they are missing and prunes extras.
//
// Limits are int-or-percent of desiredNumberScheduled, both rounded UP (a Deployment rounds
// maxUnavailable down). Example: 5 nodes, maxUnavailable '30%' -> ceil(1.5) = 2. Both resolving
// to 0 would never progress, so maxUnavailable becomes 1.
//
// Without surge (maxSurge 0), worked example: 5 nodes, maxUnavailable 2, all pods old and
// available. Pass 1: nothing is unavailable, every node is a candidate; 2 - 0 = 2 old pods are
// deleted, and the manage pass creates new pods on those 2 nodes. Pass 2: the 2 new pods are not
// available yet, so 2 nodes count as unavailable and 2 - 2 = 0 more go. Once they are available,
// 2 more old pods go, and so on: never more than 2 nodes without an available daemon. An old pod
// that is unavailable anyway is always replaced at once (and counts against the 2).
//
// With surge (maxSurge 1, maxUnavailable 0), 3 nodes with available old pods: pass 1 starts a new
// pod beside the old one on 1 node. While it is not available that node counts as surging and no
// other node starts one. Once it is available its old pod is deleted and the next node surges: a
// node never goes without an available daemon.
import { scaledValue } from '../deployment/rollout-math.js';
import { isPodAvailable } from '../framework/pod-utils.js';
import {
  DEFAULT_MAX_SURGE, DEFAULT_MAX_UNAVAILABLE, isPodUpdated, isRollingUpdate, minReadySeconds,
  type DaemonSetObject, type PodObject,
} from './daemon-set-types.js';
import type { NodeDaemonPods } from './node-daemon-pods.js';

export interface RollingUpdateLimits {
  readonly maxSurge: number;
  readonly maxUnavailable: number;
}

/** Upstream's SurgeCount/UnavailableCount against `desired` nodes, with the 0/0 fallback. */
export function rollingUpdateLimits(ds: DaemonSetObject, desired: number): RollingUpdateLimits {
  if (!isRollingUpdate(ds)) return { maxSurge: 0, maxUnavailable: desired > 0 ? 1 : 0 };
  const rolling = ds.spec?.updateStrategy?.rollingUpdate;
  const maxSurge = scaledValue(rolling?.maxSurge ?? DEFAULT_MAX_SURGE, desired, true);
  let maxUnavailable = scaledValue(rolling?.maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE, desired, true);
  if (desired > 0 && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/** Upstream's AllowsSurge: a RollingUpdate whose maxSurge is above 0 (judged against 1 node). */
export function allowsSurge(ds: DaemonSetObject): boolean {
  if (!isRollingUpdate(ds)) return false;
  return scaledValue(ds.spec?.updateStrategy?.rollingUpdate?.maxSurge ?? DEFAULT_MAX_SURGE, 1, true) > 0;
}

export interface RollingUpdateInput {
  readonly ds: DaemonSetObject;
  readonly nodeToDaemonPods: NodeDaemonPods;
  /** Nodes that should run the daemon (desiredNumberScheduled of them), in a stable order. */
  readonly desiredNodes: readonly string[];
  readonly hash: string;
  readonly generation: string | undefined;
  readonly now: Date;
}

export interface RollingUpdatePlan {
  readonly podsToDelete: readonly PodObject[];
  readonly nodesToCreate: readonly string[];
}

interface NodePods {
  readonly nodeName: string;
  /** undefined when the node runs two new or two old pods: the manage pass prunes it first. */
  readonly split: { readonly newPod?: PodObject; readonly oldPod?: PodObject } | undefined;
}

/** At most one new and one old live pod on a node (upstream's findUpdatedPodsOnNode). */
function splitNodePods(nodeName: string, pods: readonly PodObject[], input: RollingUpdateInput): NodePods {
  let newPod: PodObject | undefined;
  let oldPod: PodObject | undefined;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp !== undefined) continue;
    if (isPodUpdated(pod, input.hash, input.generation)) {
      if (newPod !== undefined) return { nodeName, split: undefined };
      newPod = pod;
    } else {
      if (oldPod !== undefined) return { nodeName, split: undefined };
      oldPod = pod;
    }
  }
  return { nodeName, split: { ...(newPod ? { newPod } : {}), ...(oldPod ? { oldPod } : {}) } };
}

/** Every desired node (with or without pods), then other nodes that have pods. */
function nodesInScope(input: RollingUpdateInput): NodePods[] {
  const names = [...input.desiredNodes];
  const seen = new Set(names);
  for (const name of input.nodeToDaemonPods.keys()) if (!seen.has(name)) names.push(name);
  return names.map((name) => splitNodePods(name, input.nodeToDaemonPods.get(name) ?? [], input));
}

export function planRollingUpdate(input: RollingUpdateInput): RollingUpdatePlan {
  const limits = rollingUpdateLimits(input.ds, input.desiredNodes.length);
  return limits.maxSurge === 0 ? planWithoutSurge(input, limits.maxUnavailable) : planWithSurge(input, limits.maxSurge);
}

function planWithoutSurge(input: RollingUpdateInput, maxUnavailable: number): RollingUpdatePlan {
  const available = (pod: PodObject): boolean => isPodAvailable(pod, minReadySeconds(input.ds), input.now);
  let numUnavailable = 0;
  const replacements: PodObject[] = [];
  const candidates: PodObject[] = [];
  for (const { split } of nodesInScope(input)) {
    if (split === undefined) {
      numUnavailable++;
      continue;
    }
    const { newPod, oldPod } = split;
    if ((newPod === undefined) === (oldPod === undefined)) {
      // Nothing yet, or both: the manage pass is still creating or pruning here.
      numUnavailable++;
    } else if (newPod !== undefined) {
      if (!available(newPod)) numUnavailable++;
    } else if (oldPod !== undefined) {
      if (!available(oldPod)) {
        replacements.push(oldPod);
        numUnavailable++;
      } else if (numUnavailable < maxUnavailable) {
        candidates.push(oldPod);
      }
    }
  }
  const room = Math.max(0, Math.min(maxUnavailable - numUnavailable, candidates.length));
  return { podsToDelete: [...replacements, ...candidates.slice(0, room)], nodesToCreate: [] };
}

function planWithSurge(input: RollingUpdateInput, maxSurge: number): RollingUpdatePlan {
  const available = (pod: PodObject): boolean => isPodAvailable(pod, minReadySeconds(input.ds), input.now);
  const desired = new Set(input.desiredNodes);
  const podsToDelete: PodObject[] = [];
  const leavingNodePods: PodObject[] = [];
  const replacementNodes: string[] = [];
  const candidateNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;

  for (const { nodeName, split } of nodesInScope(input)) {
    if (split === undefined) {
      numSurge++;
      continue;
    }
    const { newPod, oldPod } = split;
    const current = oldPod ?? newPod;
    if (current !== undefined && available(current)) numAvailable++;
    if (oldPod === undefined) continue; // up to date, or empty: the manage pass handles it
    if (newPod === undefined) {
      if (!available(oldPod)) {
        // Nothing to keep available here: replace now, or just remove if the node is leaving.
        if (desired.has(nodeName)) replacementNodes.push(nodeName);
        else podsToDelete.push(oldPod);
      } else if (!desired.has(nodeName)) {
        leavingNodePods.push(oldPod);
      } else if (numSurge < maxSurge) {
        candidateNodes.push(nodeName);
      }
    } else if (!available(newPod)) {
      numSurge++; // waiting for the new pod
    } else {
      podsToDelete.push(oldPod); // the new pod took over
    }
  }

  // Pods on nodes that no longer fit go only while more daemons are available than desired:
  // moving a DaemonSet from node A to node B keeps A's pod until B's is available.
  const deletable = Math.min(numAvailable - input.desiredNodes.length, leavingNodePods.length);
  if (deletable > 0) podsToDelete.push(...leavingNodePods.slice(0, deletable));

  const room = Math.max(0, Math.min(maxSurge - numSurge, candidateNodes.length));
  return { podsToDelete, nodesToCreate: [...replacementNodes, ...candidateNodes.slice(0, room)] };
}

// spec.restartAt (Argo rollout/restart.go, `kubectl argo rollouts restart`): every pod created
// before restartAt is evicted (pods/eviction, so PodDisruptionBudgets hold) and recreated by its
// ReplicaSet, without a new revision and without going through the canary or blue/green steps. When no such pod is left, status.restartedAt =
// spec.restartAt and the restart is over.
//
// Argo's rules kept: nothing happens before restartAt (the rollout is requeued for it); nothing is
// deleted while a ReplicaSet is short of available pods; ReplicaSets go in the order stable, new,
// then the others oldest first; a new template during a restart cancels it (the new pods are new
// anyway: see cancelRestart). k8ts honours maxUnavailable where Argo deletes strictly one pod at a
// time: at most max(1, maxUnavailable) of the rollout's pods are unavailable at once, counting pods
// already terminating or not Ready.
//
// Worked example: 10 replicas, canary maxUnavailable 25% -> floor(2.5) = 2. All 10 pods Ready and
// older than restartAt: the first pass deletes 2. Next pass (the ReplicaSet noticed): 8 Ready, 2
// replacements starting -> 2 unavailable, budget 0, wait. When both replacements are Ready, 2 more
// go. After 5 such rounds every pod is newer than restartAt, and restartedAt is written.
// Blue/green has no maxUnavailable: one pod at a time, as in Argo.
import { formatLabelSelector } from '../../api/selectors/label-selector.js';
import { ApiStatusError } from '../../client/api-status-error.js';
import { NotFoundError } from '../../lib/errors.js';
import { isControlledBy } from '../framework/controller-ref.js';
import { isPodReady } from '../framework/pod-utils.js';
import { canaryFenceposts } from './canary-replicas.js';
import type { RolloutPass } from './rollout-pass.js';
import type { PodObject, ReplicaSetObject } from './rollout-types.js';

/** How often a restart in progress looks again even when no ReplicaSet changes (Argo: 30 s). */
export const RESTART_RECHECK_MS = 5_000;

/** spec.restartAt as epoch ms, when it is set and valid. */
function restartAtMs(pass: RolloutPass): number | undefined {
  const text = pass.rollout.spec?.restartAt;
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Argo's NeedsRestart: restartAt is set, and restartedAt is not at or after it. */
export function needsRestart(pass: RolloutPass): boolean {
  const at = restartAtMs(pass);
  if (at === undefined) return false;
  const done = pass.status.restartedAt !== undefined ? Date.parse(pass.status.restartedAt) : NaN;
  return Number.isNaN(done) || done < at;
}

/** A new template during a restart ends it: its pods are created after restartAt anyway. */
export function cancelRestart(pass: RolloutPass): void {
  const at = pass.rollout.spec?.restartAt;
  if (at !== undefined && needsRestart(pass) && (restartAtMs(pass) ?? Infinity) <= pass.now().getTime()) pass.status.restartedAt = at;
}

/** Stable first, then new, then the others oldest first (Argo's SortReplicaSetsByPriority). */
function restartOrder(pass: RolloutPass): ReplicaSetObject[] {
  const rank = (rs: ReplicaSetObject): number => (rs === pass.stableRS ? 0 : rs === pass.newRS ? 1 : 2);
  const created = (rs: ReplicaSetObject): number => Date.parse(rs.metadata?.creationTimestamp ?? '') || 0;
  return [...pass.allRSs].sort((a, b) => rank(a) - rank(b) || created(a) - created(b));
}

function maxUnavailable(pass: RolloutPass): number {
  const canary = pass.rollout.spec?.strategy?.canary;
  if (!canary) return 1;
  return Math.max(1, canaryFenceposts(canary.maxSurge, canary.maxUnavailable, pass.replicas).unavailable);
}

async function podsOf(pass: RolloutPass, rs: ReplicaSetObject): Promise<PodObject[]> {
  const list = await pass.deps.pods.list(pass.namespace, { labelSelector: formatLabelSelector(rs.spec?.selector) });
  return list.items.filter((pod) => isControlledBy(pod, rs));
}

/** One pass of a restart: deletes what the budget allows, or records restartedAt when done. */
export async function reconcileRestart(pass: RolloutPass): Promise<void> {
  const at = restartAtMs(pass);
  const restartAt = pass.rollout.spec?.restartAt;
  if (at === undefined || restartAt === undefined || !needsRestart(pass)) return;
  const now = pass.now().getTime();
  if (at > now) {
    pass.requeueAfter(at - now);
    return;
  }
  const scaled = restartOrder(pass).filter((rs) => (rs.spec?.replicas ?? 0) > 0);
  if (scaled.some((rs) => (rs.status?.availableReplicas ?? 0) !== (rs.spec?.replicas ?? 0))) {
    // Argo: "cannot restart pods as not all ReplicasSets are fully available". The ReplicaSet's
    // status change requeues the rollout; the recheck is a safety net.
    pass.requeueAfter(RESTART_RECHECK_MS);
    return;
  }
  let unavailable = 0;
  const old: PodObject[] = [];
  for (const rs of scaled) {
    const pods = await podsOf(pass, rs);
    const live = pods.filter((pod) => pod.metadata?.deletionTimestamp === undefined);
    unavailable += pods.length - live.length;
    unavailable += Math.max(0, (rs.spec?.replicas ?? 0) - live.filter(isPodReady).length);
    for (const pod of live) {
      const created = Date.parse(pod.metadata?.creationTimestamp ?? '');
      if (!Number.isNaN(created) && created < at) old.push(pod);
    }
  }
  if (old.length === 0 && unavailable === 0) {
    pass.status.restartedAt = restartAt;
    pass.event('Normal', 'RolloutRestarted', 'Restarted all pods created before restartAt');
    return;
  }
  pass.requeueAfter(RESTART_RECHECK_MS);
  const budget = maxUnavailable(pass) - unavailable;
  for (const pod of old.slice(0, Math.max(0, budget))) {
    const name = pod.metadata?.name ?? '';
    // Through the Eviction API, as Argo does, so PodDisruptionBudgets hold: a 429 means the
    // budget allows no disruption now; the recheck above tries again later.
    const eviction = {
      apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, ...(pass.namespace !== undefined ? { namespace: pass.namespace } : {}) },
      deleteOptions: { preconditions: { ...(pod.metadata?.uid !== undefined ? { uid: pod.metadata.uid } : {}) } },
    };
    try {
      await pass.deps.pods.createSubresource(pass.namespace, name, 'eviction', eviction);
    } catch (error) {
      if (error instanceof ApiStatusError && error.code === 429) return;
      if (!(error instanceof NotFoundError)) throw error;
    }
    pass.event('Normal', 'RestartingPod', `Restarting pod ${name}: created before restartAt ${restartAt}`);
  }
}

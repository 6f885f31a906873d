// Turns a Rollout and the objects it owns into the RolloutView `k8ts rollout get` prints, with the
// Argo plugin's rules (pkg/kubectl-argo-rollouts/info): phase and message, step `index/steps`,
// set and actual weight, which ReplicaSet is stable/canary/active/preview, ReplicaSet health,
// and the AnalysisRuns' measurement counts, grouped by revision, newest first.
import { ROLLOUT_POD_TEMPLATE_HASH_LABEL, SCALE_DOWN_DEADLINE_ANNOTATION } from '../../api/rollouts/index.js';
import type { AnalysisRunObject, ReplicaSetObject, RolloutObject } from './cli-object-types.js';
import { podInfo, type PodInfo } from './pod-info.js';
import { revisionOf, type RolloutObjects } from './rollout-objects.js';
import type { AnalysisRunView, ImageView, ReplicaSetTag, ReplicaSetView, RevisionView, RolloutView } from './rollout-view.js';
import { analysisIcon, replicaSetIcon, rolloutIcon } from './status-icons.js';

/**
 * Phase and message as the plugin shows them: a spec change the controller has not seen yet, or a
 * promote it has not acted on, reads Progressing whatever the stored phase says.
 */
export function rolloutPhase(rollout: RolloutObject): { phase: string; message: string } {
  const status = rollout.status ?? {};
  const observed = Number(status.observedGeneration);
  if (Number.isInteger(observed) && observed < (rollout.metadata?.generation ?? 0)) {
    return { phase: 'Progressing', message: 'waiting for rollout spec update to be observed' };
  }
  if (status.controllerPause === true && (status.pauseConditions?.length ?? 0) === 0) {
    return { phase: 'Progressing', message: 'waiting for rollout to unpause' };
  }
  return { phase: status.phase ?? 'Progressing', message: status.message ?? '' };
}

/**
 * The weight the current step asks for (Argo's GetCurrentSetWeight): 0 when aborted,
 * maxTrafficWeight (100) when past the last step, else the last setWeight at or before the
 * current step. With steps [setWeight 20, pause, setWeight 50] at step 1 (the pause) that is 20.
 */
export function currentSetWeight(rollout: RolloutObject): number {
  if (rollout.status?.abort === true) return 0;
  const steps = rollout.spec.strategy?.canary?.steps ?? [];
  const index = rollout.status?.currentStepIndex ?? 0;
  if (steps.length === 0 || index >= steps.length) return maxTrafficWeight(rollout);
  for (let i = index; i >= 0; i -= 1) {
    const weight = steps[i]?.setWeight;
    if (weight !== undefined) return weight;
  }
  return 0;
}

/** trafficRouting.maxTrafficWeight: what weights are out of (default 100). */
function maxTrafficWeight(rollout: RolloutObject): number {
  const max = rollout.spec.strategy?.canary?.trafficRouting?.maxTrafficWeight;
  return typeof max === 'number' && max > 0 ? max : 100;
}

function replicaSetHealth(rs: ReplicaSetObject): string {
  const desired = rs.spec?.replicas;
  if ((rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) return 'Progressing';
  const failure = rs.status?.conditions?.find((condition) => condition.type === 'ReplicaFailure');
  if (failure?.status === 'True') return 'ReplicaFailure';
  if (desired !== undefined && (rs.status?.availableReplicas ?? 0) < desired) return 'Progressing';
  if (desired === 0) return 'ScaledDown';
  return 'Healthy';
}

function replicaSetTags(rollout: RolloutObject, hash: string | undefined): ReplicaSetTag[] {
  const status = rollout.status ?? {};
  const tags: ReplicaSetTag[] = [];
  if (hash === undefined) return tags;
  if (rollout.spec.strategy?.canary) {
    if (status.stableRS === hash) tags.push('stable');
    else if (status.currentPodHash === hash) tags.push('canary');
  }
  if (rollout.spec.strategy?.blueGreen) {
    if (status.stableRS === hash) tags.push('stable');
    if (status.blueGreen?.activeSelector === hash) tags.push('active');
    else if (status.blueGreen?.previewSelector === hash) tags.push('preview');
  }
  return tags;
}

const byAgeThenName = (a: { createdAt: string | undefined; name: string }, b: { createdAt: string | undefined; name: string }): number =>
  (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.name.localeCompare(b.name);

function replicaSetView(rollout: RolloutObject, rs: ReplicaSetObject, pods: readonly PodInfo[]): ReplicaSetView {
  const status = replicaSetHealth(rs);
  const deadline = rs.metadata?.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION];
  return {
    name: rs.metadata?.name ?? '',
    revision: revisionOf(rs.metadata?.annotations),
    status,
    icon: replicaSetIcon(status),
    createdAt: rs.metadata?.creationTimestamp,
    tags: replicaSetTags(rollout, rs.metadata?.labels?.[ROLLOUT_POD_TEMPLATE_HASH_LABEL]),
    desired: rs.spec?.replicas ?? 0,
    ready: rs.status?.readyReplicas ?? 0,
    available: rs.status?.availableReplicas ?? 0,
    images: (rs.spec?.template?.spec?.containers ?? []).map((container) => container.image ?? ''),
    ...(deadline !== undefined && deadline !== '' ? { scaleDownDeadline: deadline } : {}),
    pods: [...pods].sort(byAgeThenName),
  };
}

function analysisRunView(run: AnalysisRunObject): AnalysisRunView {
  const totals = { successful: 0, failed: 0, inconclusive: 0, error: 0 };
  for (const result of run.status?.metricResults ?? []) {
    totals.successful += result.successful ?? 0;
    totals.failed += result.failed ?? 0;
    totals.inconclusive += result.inconclusive ?? 0;
    totals.error += result.error ?? 0;
  }
  const phase = run.status?.phase ?? 'Pending';
  return {
    name: run.metadata?.name ?? '',
    revision: revisionOf(run.metadata?.annotations),
    phase,
    icon: analysisIcon(phase),
    createdAt: run.metadata?.creationTimestamp,
    ...totals,
  };
}

/** Images of the ReplicaSets that have pods, each with the tags of every RS running it. */
function imagesOf(replicaSets: readonly ReplicaSetView[], counts: ReadonlyMap<string, number>): ImageView[] {
  const tags = new Map<string, Set<ReplicaSetTag>>();
  for (const rs of replicaSets) {
    if ((counts.get(rs.name) ?? 0) === 0) continue;
    for (const image of rs.images) {
      const set = tags.get(image) ?? new Set<ReplicaSetTag>();
      for (const tag of rs.tags) set.add(tag);
      tags.set(image, set);
    }
  }
  return [...tags.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([image, set]) => ({ image, tags: [...set].sort() }));
}

function actualWeight(rollout: RolloutObject, replicaSets: readonly ReplicaSetView[]): string {
  const steps = rollout.spec.strategy?.canary?.steps ?? [];
  const index = rollout.status?.currentStepIndex ?? 0;
  if (steps.length === 0 || index >= steps.length) return String(maxTrafficWeight(rollout));
  const available = rollout.status?.availableReplicas ?? 0;
  if (available === 0) return '0';
  if (rollout.spec.strategy?.canary?.trafficRouting === undefined) {
    // No router: the share of available pods that are canary pods; 1 of 4 available -> 25.
    const canary = replicaSets.find((rs) => rs.tags.includes('canary'));
    return String(Math.trunc(((canary?.available ?? 0) * 100) / available));
  }
  const weight = rollout.status?.canary?.weights?.canary.weight;
  return weight !== undefined ? String(weight) : String(currentSetWeight(rollout));
}

export function rolloutView(objects: RolloutObjects): RolloutView {
  const { rollout } = objects;
  const podsByOwner = new Map<string, PodInfo[]>();
  for (const pod of objects.pods) {
    const owner = pod.metadata?.ownerReferences?.find((ref) => ref.kind === 'ReplicaSet')?.uid ?? '';
    podsByOwner.set(owner, [...(podsByOwner.get(owner) ?? []), podInfo(pod)]);
  }
  const replicaSets = objects.replicaSets
    .map((rs) => replicaSetView(rollout, rs, podsByOwner.get(rs.metadata?.uid ?? '') ?? []))
    .sort((a, b) => b.revision - a.revision || a.name.localeCompare(b.name));
  const analysisRuns = objects.analysisRuns.map(analysisRunView).sort(byAgeThenName);
  const revisionNumbers = [...new Set([...replicaSets, ...analysisRuns].map((item) => item.revision))].sort((a, b) => b - a);
  const revisions: RevisionView[] = revisionNumbers.map((revision) => ({
    revision,
    replicaSets: replicaSets.filter((rs) => rs.revision === revision),
    analysisRuns: analysisRuns.filter((run) => run.revision === revision),
  }));
  const podCounts = new Map(objects.replicaSets.map((rs) => [rs.metadata?.name ?? '', rs.status?.replicas ?? 0]));
  const { phase, message } = rolloutPhase(rollout);
  const canary = rollout.spec.strategy?.canary;
  const steps = canary?.steps?.length ?? 0;
  const status = rollout.status ?? {};
  return {
    name: rollout.metadata?.name ?? '',
    namespace: rollout.metadata?.namespace ?? '',
    createdAt: rollout.metadata?.creationTimestamp,
    phase,
    message,
    icon: rolloutIcon(phase),
    strategy: canary ? 'Canary' : rollout.spec.strategy?.blueGreen ? 'BlueGreen' : '',
    ...(canary && steps > 0 && status.currentStepIndex !== undefined ? { step: `${status.currentStepIndex}/${steps}` } : {}),
    ...(canary ? { setWeight: String(currentSetWeight(rollout)), actualWeight: actualWeight(rollout, replicaSets) } : {}),
    images: imagesOf(replicaSets, podCounts),
    replicas: {
      desired: rollout.spec.replicas ?? 1,
      current: status.replicas ?? 0,
      updated: status.updatedReplicas ?? 0,
      ready: status.readyReplicas ?? 0,
      available: status.availableReplicas ?? 0,
    },
    revisions,
  };
}

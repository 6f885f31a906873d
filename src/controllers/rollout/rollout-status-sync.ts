// The end of every pass (Argo sync.go calculateBaseStatus, calculateRolloutConditions,
// persistRolloutStatus): replica counts, conditions, phase and message, then one status write.
import { formatLabelSelector } from '../../api/selectors/label-selector.js';
import { getCondition, MESSAGES, removeCondition, setCondition } from './rollout-conditions.js';
import { calculateRolloutPhase } from './rollout-phase.js';
import type { RolloutPass } from './rollout-pass.js';
import type { ReplicaSetObject, RolloutStatus } from './rollout-types.js';
import { DEFAULT_PROGRESS_DEADLINE_SECONDS } from './rollout-types.js';

function sum(sets: readonly ReplicaSetObject[], pick: (rs: ReplicaSetObject) => number | undefined): number {
  return sets.reduce((total, rs) => total + (pick(rs) ?? 0), 0);
}

/** Argo's RolloutProgressing: did this pass move anything forward? */
function madeProgress(pass: RolloutPass, next: RolloutStatus): boolean {
  const old = pass.rollout.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  let strategy = false;
  if (pass.rollout.spec?.strategy?.blueGreen) {
    strategy = old.blueGreen?.activeSelector !== next.blueGreen?.activeSelector || old.blueGreen?.previewSelector !== next.blueGreen?.previewSelector;
  } else {
    strategy = old.stableRS !== next.stableRS || old.currentStepIndex !== next.currentStepIndex || old.currentStepHash !== next.currentStepHash;
  }
  return (next.updatedReplicas ?? 0) !== (old.updatedReplicas ?? 0) || newOld < oldOld
    || (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0) || strategy;
}

/** A step that waits for a person (a pause without duration) does not count against the deadline. */
function waitingIndefinitely(pass: RolloutPass, status: RolloutStatus): boolean {
  if (pass.rollout.spec?.paused === true || (status.pauseConditions?.length ?? 0) > 0) return true;
  const steps = pass.rollout.spec?.strategy?.canary?.steps ?? [];
  const step = steps[status.currentStepIndex ?? 0];
  return step?.pause !== undefined && step.pause.duration === undefined;
}

function rolloutHealthy(pass: RolloutPass, s: RolloutStatus): boolean {
  const replicas = pass.replicas;
  let strategyDone = true;
  const blueGreen = pass.rollout.spec?.strategy?.blueGreen;
  if (blueGreen) {
    strategyDone = s.blueGreen?.activeSelector === s.currentPodHash
      && (blueGreen.previewService === undefined || s.blueGreen?.previewSelector === s.currentPodHash);
  } else {
    const stepCount = pass.rollout.spec?.strategy?.canary?.steps?.length ?? 0;
    const allSteps = stepCount === 0 || s.currentStepIndex === undefined || s.currentStepIndex === stepCount;
    strategyDone = allSteps && s.stableRS !== undefined && s.stableRS === s.currentPodHash && s.replicas === replicas;
  }
  return s.updatedReplicas === replicas && s.availableReplicas === replicas && strategyDone;
}

export async function syncStatus(pass: RolloutPass): Promise<void> {
  const s = pass.status;
  const now = pass.nowText();
  const blueGreen = pass.rollout.spec?.strategy?.blueGreen;
  s.observedGeneration = String(pass.rollout.metadata?.generation ?? 1);
  s.currentPodHash = pass.hash;
  s.replicas = sum(pass.allRSs, (rs) => rs.status?.replicas);
  s.updatedReplicas = pass.newRS?.status?.replicas ?? 0;
  s.readyReplicas = sum(pass.allRSs, (rs) => rs.status?.readyReplicas);
  const activeRS = blueGreen ? pass.replicaSetByHash(s.blueGreen?.activeSelector) : undefined;
  s.availableReplicas = blueGreen ? (activeRS?.status?.availableReplicas ?? 0) : sum(pass.allRSs, (rs) => rs.status?.availableReplicas);
  s.HPAReplicas = s.replicas;
  s.selector = formatLabelSelector(pass.rollout.spec?.selector);
  if (s.controllerPause === true && (s.pauseConditions?.length ?? 0) === 0) delete s.controllerPause;

  const paused = pass.rollout.spec?.paused === true || (s.pauseConditions?.length ?? 0) > 0;
  const aborted = s.abort === true;
  const healthy = !paused && rolloutHealthy(pass, s);
  let becameUnhealthy = false;
  if (healthy) setCondition(s, 'Healthy', 'True', 'RolloutHealthy', MESSAGES.healthy, now);
  else if (getCondition(s, 'Healthy')) becameUnhealthy = setCondition(s, 'Healthy', 'False', 'RolloutHealthy', MESSAGES.notHealthy, now);

  setCondition(s, 'Paused', paused ? 'True' : 'False', 'RolloutPaused', MESSAGES.paused, now);
  if (!paused && getCondition(pass.rollout.status ?? {}, 'Paused')?.status !== 'True') {
    // Never paused: Argo only writes a Paused condition once a pause happened.
    if (!getCondition(pass.rollout.status ?? {}, 'Paused')) removeCondition(s, 'Paused');
  }

  const rsName = pass.newRS?.metadata?.name ?? '';
  const progressing = getCondition(s, 'Progressing');
  if (aborted) {
    const base = `Rollout aborted update to revision ${pass.revision()}`;
    // The reason is known only in the pass that aborted: later passes keep that message.
    const message = pass.abortMessage !== undefined ? `${base}: ${pass.abortMessage}` : progressing?.reason === 'RolloutAborted' ? progressing.message : base;
    if (setCondition(s, 'Progressing', 'False', 'RolloutAborted', message, now)) pass.event('Warning', 'RolloutAborted', message);
  } else if (progressing?.reason === 'RolloutAborted') {
    setCondition(s, 'Progressing', 'Unknown', 'RolloutRetry', MESSAGES.retry, now);
  } else if (paused && progressing?.reason !== 'RolloutPaused' && !(s.stableRS !== undefined && s.stableRS === s.currentPodHash)) {
    setCondition(s, 'Progressing', 'Unknown', 'RolloutPaused', MESSAGES.paused, now);
  } else if (!paused && progressing?.reason === 'RolloutPaused') {
    setCondition(s, 'Progressing', 'Unknown', 'RolloutResumed', MESSAGES.resumed, now);
  } else if (rolloutHealthy(pass, s)) {
    setCondition(s, 'Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`, now);
  } else if (madeProgress(pass, s) || becameUnhealthy || progressing === undefined) {
    const fullyPromoted = s.stableRS === s.currentPodHash;
    const reason = fullyPromoted && becameUnhealthy ? 'ReplicaSetNotAvailable' : 'ReplicaSetUpdated';
    const message = reason === 'ReplicaSetNotAvailable' ? MESSAGES.notAvailable : `ReplicaSet "${rsName}" is progressing.`;
    // Progress refreshes lastUpdateTime even with the same reason: that is what the deadline reads.
    removeCondition(s, 'Progressing');
    setCondition(s, 'Progressing', 'True', reason, message, now);
    const kept = s.conditions?.find((c) => c.type === 'Progressing');
    if (kept && progressing?.status === 'True') kept.lastTransitionTime = progressing.lastTransitionTime;
  } else if (progressing && progressing.reason !== 'ProgressDeadlineExceeded' && progressing.reason !== 'RolloutPaused' && !waitingIndefinitely(pass, s)) {
    const deadlineMs = Date.parse(progressing.lastUpdateTime) + (pass.rollout.spec?.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS) * 1000;
    const left = deadlineMs - pass.now().getTime();
    if (left < 0) {
      const message = `ReplicaSet "${rsName}" has timed out progressing.`;
      setCondition(s, 'Progressing', 'False', 'ProgressDeadlineExceeded', message, now);
      pass.event('Warning', 'ProgressDeadlineExceeded', message);
      if (pass.rollout.spec?.progressDeadlineAbort === true && !(s.stableRS !== undefined && s.stableRS === s.currentPodHash)) {
        s.abort = true;
        s.abortedAt = now;
        pass.decide({ kind: 'abort', message });
        pass.requeueAfter(0);
      }
    } else if (!healthy) {
      pass.requeueAfter(left + 1000);
    }
  }

  const enough = blueGreen ? (activeRS !== undefined && (activeRS.status?.availableReplicas ?? 0) >= pass.replicas) : (s.availableReplicas ?? 0) >= pass.replicas;
  setCondition(s, 'Available', enough ? 'True' : 'False', 'AvailableReason', enough ? MESSAGES.available : MESSAGES.notAvailable, now);
  const completed = s.stableRS !== undefined && s.stableRS !== '' && s.stableRS === s.currentPodHash;
  if (setCondition(s, 'Completed', completed ? 'True' : 'False', 'RolloutCompleted', 'RolloutCompleted', now) && !completed) {
    pass.event('Normal', 'RolloutNotCompleted', `Rollout not completed, started update to revision ${pass.revision()} (${pass.hash})`);
  }

  const { phase, message } = calculateRolloutPhase(pass.rollout, s);
  s.phase = phase;
  s.message = message;
  await persistStatus(pass);
}

/** Writes status through /status when it differs from what was read. */
export async function persistStatus(pass: RolloutPass): Promise<void> {
  if (JSON.stringify(pass.status) === JSON.stringify(pass.rollout.status ?? {})) return;
  await pass.deps.rollouts.updateStatus(pass.namespace, { ...pass.rollout, status: pass.status });
}

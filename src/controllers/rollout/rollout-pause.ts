// Pause conditions (Argo rollout/pause.go): a controller pause adds status.pauseConditions[] and
// sets status.controllerPause; a person resumes by clearing pauseConditions (promote), which the
// controller sees as "controllerPause true and no conditions" and treats the pause as done.
import type { RolloutPass } from './rollout-pass.js';
import type { PauseCondition, PauseReason } from './rollout-types.js';

export function pauseCondition(pass: RolloutPass, reason: PauseReason): PauseCondition | undefined {
  return (pass.status.pauseConditions ?? []).find((c) => c.reason === reason);
}

/** Adds a pause unless it exists or was already resumed by a person; true when it was added. */
export function addPause(pass: RolloutPass, reason: PauseReason): boolean {
  if (pauseCondition(pass, reason)) return false;
  if (pass.status.controllerPause === true) return false; // resumed by a person: do not pause again
  pass.status.pauseConditions = [...(pass.status.pauseConditions ?? []), { reason, startTime: pass.nowText() }];
  pass.status.controllerPause = true;
  pass.event('Normal', 'RolloutPaused', `Rollout is paused (${reason})`);
  return true;
}

export function removePause(pass: RolloutPass, reason: PauseReason): void {
  const left = (pass.status.pauseConditions ?? []).filter((c) => c.reason !== reason);
  if (left.length === (pass.status.pauseConditions ?? []).length) return;
  if (left.length === 0) delete pass.status.pauseConditions;
  else pass.status.pauseConditions = left;
}

/** Clears every pause (a new revision, an abort or a full promotion). */
export function clearPauses(pass: RolloutPass): void {
  delete pass.status.pauseConditions;
  delete pass.status.controllerPause;
}

/** A person cleared the pause conditions of a controller pause (Argo's IsUnpausing / promote). */
export function resumedByUser(pass: RolloutPass): boolean {
  return pass.status.controllerPause === true && (pass.status.pauseConditions?.length ?? 0) === 0;
}

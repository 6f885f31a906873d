// The write commands of `k8ts rollout`, patching what the Argo Rollouts kubectl plugin patches
// (pkg/kubectl-argo-rollouts/cmd/{promote,abort,retry,pause,restart}) so the controller reacts
// the same way, and answering the plugin's confirmation lines (`rollout 'demo' promoted`).
// Status fields go through the status subresource, spec fields through the object, both as JSON
// merge patches.
import type { ClientSet } from '../../client/resource-client.js';
import { ROLLOUTS } from '../../client/resource-types.js';
import type { Clock } from '../../lib/clock.js';
import type { RolloutObject } from './cli-object-types.js';
import { orRolloutNotFound, type RolloutRef } from './rollout-not-found.js';

export interface RolloutActionOptions {
  readonly clients: ClientSet;
  readonly namespace: string;
  readonly name: string;
}

/** The two merge patches of a promotion; either may be absent. */
export interface PromotePatches {
  readonly spec?: { spec: { paused: false } };
  readonly status?: { status: Record<string, unknown> };
}

/**
 * What `promote` patches, from the rollout as it is now (Argo's rules):
 * - --full: unpause, and `status.promoteFull: true` unless the update is already done
 *   (currentPodHash == stableRS);
 * - paused by the user (spec.paused): unpause;
 * - paused by the controller after an Inconclusive step analysis: clear the pause, drop
 *   controllerPause, and go on to the next step, so a pause step right after it does not hold;
 * - paused at a pause step (pauseConditions set): clear the pause conditions, which ends the step;
 * - a canary in the middle of a step (say an analysis step): go to the next step. With 3 steps
 *   and currentStepIndex 1 that patches currentStepIndex 2; at 3 (done) it stays 3.
 */
export function promotePatches(rollout: RolloutObject, full: boolean): PromotePatches {
  const spec = rollout.spec.paused === true ? { spec: { paused: false as const } } : undefined;
  const status = rollout.status ?? {};
  const canary = rollout.spec.strategy?.canary;
  const steps = canary?.steps?.length ?? 0;
  const nextStep = (): number => Math.min((status.currentStepIndex ?? 0) + 1, steps);
  let statusPatch: Record<string, unknown> | undefined;
  if (full) {
    if (status.currentPodHash !== status.stableRS) statusPatch = { promoteFull: true };
  } else {
    const pauses = status.pauseConditions?.length ?? 0;
    const inconclusive = canary !== undefined && status.canary?.currentStepAnalysisRunStatus?.status === 'Inconclusive';
    if (inconclusive && pauses > 0 && status.controllerPause === true) {
      if (steps > 0) statusPatch = { pauseConditions: null, controllerPause: false, currentStepIndex: nextStep() };
    } else if (pauses > 0) {
      statusPatch = { pauseConditions: null };
    } else if (canary !== undefined && steps > 0) {
      statusPatch = { pauseConditions: null, currentStepIndex: nextStep() };
    }
  }
  return { ...(spec ? { spec } : {}), ...(statusPatch ? { status: { status: statusPatch } } : {}) };
}

const ref = (options: RolloutActionOptions): RolloutRef => ({ namespace: options.namespace, name: options.name });

export async function promoteRollout(options: RolloutActionOptions & { readonly full: boolean }): Promise<string> {
  const rollouts = options.clients.resource<RolloutObject>(ROLLOUTS);
  await orRolloutNotFound(ref(options), async () => {
    const rollout = await rollouts.get(options.namespace, options.name);
    const patches = promotePatches(rollout, options.full);
    // Spec first (the plugin patches status first, for pre-0.10 controllers without a status
    // subresource). A controller that sees only the unpause stays at its pause step, since the
    // pause conditions still hold it; one that saw cleared conditions while spec.paused was
    // still true could take that for "nothing to resume" and pause the same step again.
    if (patches.spec) await rollouts.patch(options.namespace, options.name, 'merge', patches.spec);
    if (patches.status) await rollouts.patch(options.namespace, options.name, 'merge', patches.status, { subresource: 'status' });
  });
  return options.full ? `rollout '${options.name}' fully promoted\n` : `rollout '${options.name}' promoted\n`;
}

/** status.abort=true: the controller sends all traffic back to stable and scales the canary down. */
export async function abortRollout(options: RolloutActionOptions): Promise<string> {
  const rollouts = options.clients.resource<RolloutObject>(ROLLOUTS);
  await orRolloutNotFound(ref(options), () =>
    rollouts.patch(options.namespace, options.name, 'merge', { status: { abort: true } }, { subresource: 'status' }),
  );
  return `rollout '${options.name}' aborted\n`;
}

/** status.abort=false: the controller starts the update again from the first step. */
export async function retryRollout(options: RolloutActionOptions): Promise<string> {
  const rollouts = options.clients.resource<RolloutObject>(ROLLOUTS);
  await orRolloutNotFound(ref(options), () =>
    rollouts.patch(options.namespace, options.name, 'merge', { status: { abort: false } }, { subresource: 'status' }),
  );
  return `rollout '${options.name}' retried\n`;
}

/** spec.paused=true: the controller stops at the current step until promoted. */
export async function pauseRollout(options: RolloutActionOptions): Promise<string> {
  const rollouts = options.clients.resource<RolloutObject>(ROLLOUTS);
  await orRolloutNotFound(ref(options), () => rollouts.patch(options.namespace, options.name, 'merge', { spec: { paused: true } }));
  return `rollout '${options.name}' paused\n`;
}

/**
 * spec.restartAt = now + `inMs`, RFC 3339 to the second as Argo writes it: the controller
 * replaces every pod created before that time, one at a time.
 */
export async function restartRollout(
  options: RolloutActionOptions & { readonly clock: Clock; readonly inMs: number; readonly inText: string },
): Promise<string> {
  const rollouts = options.clients.resource<RolloutObject>(ROLLOUTS);
  const at = new Date(options.clock.now().getTime() + options.inMs);
  const restartAt = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  await orRolloutNotFound(ref(options), () => rollouts.patch(options.namespace, options.name, 'merge', { spec: { restartAt } }));
  return `rollout '${options.name}' restarts in ${options.inText}\n`;
}

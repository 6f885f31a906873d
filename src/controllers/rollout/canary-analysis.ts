// Analysis of a canary (Argo rollout/analysis.go): the background run (from startingStep on, for the
// whole update) and the run of the current analysis step. Failed or Error aborts the update;
// Inconclusive pauses it (InconclusiveAnalysisRun) until a person promotes or aborts.
import type { AnalysisOutcome, RolloutAnalysisKind } from './rollout-analysis.js';
import { isCompleted } from './rollout-analysis.js';
import type { RolloutPass } from './rollout-pass.js';
import { currentStep } from './canary-steps.js';
import type { RolloutAnalysis, RolloutAnalysisRunStatus } from './rollout-types.js';
import { addPause } from './rollout-pause.js';

/** What a finished run means for the rollout; shared by canary and blue/green. */
export function judgeOutcome(pass: RolloutPass, outcome: AnalysisOutcome, step?: number): void {
  const stepField = step !== undefined ? { step } : {};
  if (outcome.phase === 'Failed' || outcome.phase === 'Error') {
    const why = outcome.message !== undefined && outcome.message !== '' ? outcome.message : `AnalysisRun "${outcome.name}" ${outcome.phase}`;
    pass.event('Warning', outcome.phase === 'Failed' ? 'AnalysisRunFailed' : 'AnalysisRunError', `AnalysisRun '${outcome.name}' owned by the Rollout '"${pass.name}"' ${outcome.phase === 'Failed' ? 'failed' : 'errored'}.`);
    pass.abort(why, { ...stepField, analysisRun: outcome.name, metrics: [...outcome.metrics] });
  } else if (outcome.phase === 'Inconclusive') {
    if (addPause(pass, 'InconclusiveAnalysisRun')) {
      pass.decide({ kind: 'pause', message: `AnalysisRun "${outcome.name}" is inconclusive: waiting for promote or abort`, ...stepField, analysisRun: outcome.name, metrics: [...outcome.metrics] });
    }
  }
}

export function runStatus(outcome: AnalysisOutcome): RolloutAnalysisRunStatus {
  return { name: outcome.name, status: outcome.phase, ...(outcome.message !== undefined && outcome.message !== '' ? { message: outcome.message } : {}) };
}

async function ensure(pass: RolloutPass, kind: RolloutAnalysisKind, analysis: RolloutAnalysis, stepIndex?: number): Promise<AnalysisOutcome> {
  return pass.deps.analysis.ensure({
    // The status as this pass has it: the launcher reuses a finished run only while it is named there.
    rollout: { ...pass.rollout, status: pass.status },
    kind,
    ...(stepIndex !== undefined ? { stepIndex } : {}),
    analysis,
    podHashes: { ...(pass.status.stableRS !== undefined ? { stable: pass.status.stableRS } : {}), canary: pass.hash },
    revision: String(pass.revision()),
  });
}

/** Stops runs that are still going (the update is over: promoted or aborted). */
export async function terminateRuns(pass: RolloutPass, runs: readonly (RolloutAnalysisRunStatus | undefined)[]): Promise<void> {
  for (const run of runs) {
    if (run !== undefined && !isCompleted(run.status)) await pass.deps.analysis.terminate(pass.namespace, run.name);
  }
}

/**
 * Runs the canary's analyses for this pass. Returns the outcome of the current step's run (the
 * step completes when it is Successful).
 */
export async function reconcileCanaryAnalysis(pass: RolloutPass): Promise<AnalysisOutcome | undefined> {
  const s = pass.status;
  const canaryStatus = (s.canary ??= {});
  const fullyPromoted = s.stableRS === pass.hash;
  if (s.abort === true || fullyPromoted) {
    await terminateRuns(pass, [canaryStatus.currentBackgroundAnalysisRunStatus, canaryStatus.currentStepAnalysisRunStatus]);
    return undefined;
  }
  const { step, index } = currentStep(pass.rollout, s);
  const background = pass.rollout.spec?.strategy?.canary?.analysis;
  if (background && (background.templates?.length ?? 0) > 0 && index >= (background.startingStep ?? 0)) {
    const outcome = await ensure(pass, 'background', background);
    canaryStatus.currentBackgroundAnalysisRunStatus = runStatus(outcome);
    judgeOutcome(pass, outcome);
  }
  if (step?.analysis && pass.status.abort !== true) {
    const outcome = await ensure(pass, 'step', step.analysis, index);
    canaryStatus.currentStepAnalysisRunStatus = runStatus(outcome);
    judgeOutcome(pass, outcome, index);
    return outcome;
  }
  return undefined;
}

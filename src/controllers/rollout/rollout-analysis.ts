// The port through which the Rollout controller starts and reads AnalysisRuns. The real
// implementation (analysis-launcher.ts) delegates to src/rollouts/analysis-launch.ts (H16's launch
// helper: naming, labels, owner, template merge, args); tests pass a fake.
import type { DecisionMetric, RolloutAnalysis, RolloutObject } from './rollout-types.js';

export type RolloutAnalysisKind = 'step' | 'background' | 'prePromotion' | 'postPromotion';

export type RunPhase = 'Pending' | 'Running' | 'Successful' | 'Failed' | 'Error' | 'Inconclusive';

export interface AnalysisRequest {
  readonly rollout: RolloutObject;
  readonly kind: RolloutAnalysisKind;
  readonly stepIndex?: number;
  readonly analysis: RolloutAnalysis;
  readonly podHashes: { readonly stable?: string; readonly canary: string };
  /** The rollout revision being analysed (part of the run's name). */
  readonly revision: string;
}

/** What the controller needs from a run: its phase and the metrics behind it (for decisions). */
export interface AnalysisOutcome {
  readonly name: string;
  readonly phase: RunPhase;
  readonly message?: string;
  readonly metrics: readonly DecisionMetric[];
}

export interface RolloutAnalysisLauncher {
  /** Finds or creates the run for this rollout/revision/kind(/step) and reports its state. */
  ensure(request: AnalysisRequest, signal?: AbortSignal): Promise<AnalysisOutcome>;
  /** Asks a run to stop (spec.terminate), e.g. a background run once the rollout is promoted. */
  terminate(namespace: string | undefined, name: string, signal?: AbortSignal): Promise<void>;
}

export function isCompleted(phase: RunPhase): boolean {
  return phase === 'Successful' || phase === 'Failed' || phase === 'Error' || phase === 'Inconclusive';
}

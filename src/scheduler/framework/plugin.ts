// The scheduler's extension points (DESIGN.md: FilterPlugin / ScorePlugin), after upstream's
// scheduling framework: PreFilter -> Filter (per node) -> PreScore -> Score (per node) ->
// NormalizeScore. Plugins are pure functions of the pod, the node info and the per-cycle state.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from './cycle-state.js';
import type { NodeInfo } from './node-info.js';
import type { NodeSnapshot } from './node-snapshot.js';

/**
 * Unschedulable: the node might fit after other pods go away (preemption could help).
 * UnschedulableAndUnresolvable: it never will while the node stays as it is (taints, labels).
 */
export type FilterCode = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface FilterResult {
  readonly code: FilterCode;
  /** Upstream-worded reasons, counted per node in the FailedScheduling message. */
  readonly reasons: readonly string[];
}

export const SUCCESS: FilterResult = Object.freeze({ code: 'Success', reasons: Object.freeze([]) });

export function unschedulable(...reasons: string[]): FilterResult {
  return { code: 'Unschedulable', reasons };
}

export function unresolvable(...reasons: string[]): FilterResult {
  return { code: 'UnschedulableAndUnresolvable', reasons };
}

/** `skip`: this plugin has nothing to check for this pod; its filter/score is not called. */
export type PreResult = 'skip' | undefined | void;

export interface FilterPlugin {
  readonly name: string;
  /** Upstream PreFilter: per-pod precomputation over the whole snapshot, kept in `state`. */
  preFilter?(pod: Pod, snapshot: NodeSnapshot, state: CycleState): PreResult;
  filter(pod: Pod, nodeInfo: NodeInfo, state: CycleState): FilterResult;
}

export const MAX_NODE_SCORE = 100;

export interface ScorePlugin {
  readonly name: string;
  /** Multiplies the normalised score in the weighted sum. */
  readonly weight: number;
  /** Upstream PreScore, over the nodes that passed the filters. */
  preScore?(pod: Pod, feasible: readonly NodeInfo[], snapshot: NodeSnapshot, state: CycleState): PreResult;
  /** A raw score; 0..100 unless `normalize` maps it there. */
  score(pod: Pod, nodeInfo: NodeInfo, state: CycleState): number;
  /** Rewrites `scores` (parallel to `feasible`) in place into 0..100. */
  normalize?(pod: Pod, scores: number[], feasible: readonly NodeInfo[], state: CycleState): void;
}

/**
 * Upstream's DefaultNormalizeScore: scales so the highest becomes 100 (or, reversed, the lowest
 * becomes 100). All zero stays zero (reversed: all 100).
 */
export function defaultNormalize(scores: number[], reverse: boolean): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) scores.fill(MAX_NODE_SCORE);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const scaled = Math.trunc((MAX_NODE_SCORE * (scores[i] ?? 0)) / max);
    scores[i] = reverse ? MAX_NODE_SCORE - scaled : scaled;
  }
}

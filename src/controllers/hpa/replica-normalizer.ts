// From the metrics' recommendation to the size to set (upstream's normalizeDesiredReplicas and
// normalizeDesiredReplicasWithBehaviors): stabilize against recent recommendations, then limit
// by the scaling rate and by minReplicas/maxReplicas. Each step names the condition it leaves.
import type { HpaCondition } from './hpa-conditions.js';
import type { ScalingBehavior, ScalingRules } from './scaling-behavior.js';
import type { ScaleEvent, ScalingHistory } from './scaling-history.js';

export interface NormalizeInput {
  readonly key: string;
  readonly currentReplicas: number;
  /** What the metrics asked for. */
  readonly desiredReplicas: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly nowMs: number;
}

export interface Normalized {
  readonly replicas: number;
  readonly ableToScale: HpaCondition;
  readonly scalingLimited: HpaCondition;
}

const READY: HpaCondition = { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
const SCALE_DOWN_STABILIZED: HpaCondition = {
  type: 'AbleToScale', status: 'True', reason: 'ScaleDownStabilized',
  message: 'recent recommendations were higher than current one, applying the highest recent recommendation',
};
const SCALE_UP_STABILIZED: HpaCondition = {
  type: 'AbleToScale', status: 'True', reason: 'ScaleUpStabilized',
  message: 'recent recommendations were lower than current one, applying the lowest recent recommendation',
};

interface Limit {
  readonly replicas: number;
  readonly reason: string;
  readonly message: string;
}

const WITHIN_RANGE = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
const TOO_MANY = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
const TOO_FEW = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
const UP_LIMIT = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
const DOWN_LIMIT = { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' };

/** ScalingLimited is True exactly when the limit changed the stabilized recommendation. */
function limitedCondition(limit: Limit, stabilized: number): HpaCondition {
  return { type: 'ScalingLimited', status: limit.replicas === stabilized ? 'False' : 'True', reason: limit.reason, message: limit.message };
}

/**
 * Without spec.behavior: take the highest recommendation of the last `windowMs` (a scale-down
 * waits until every recent recommendation agrees), then clamp to [minReplicas, max], where a
 * scale-up may at most double the size (at least to 4): from 3 pods, at most 6.
 */
export function normalizeWithoutBehavior(input: NormalizeInput, history: ScalingHistory, windowMs: number): Normalized {
  let stabilized = input.desiredReplicas;
  for (const r of history.recommendations(input.key)) if (r.atMs >= input.nowMs - windowMs) stabilized = Math.max(stabilized, r.replicas);
  history.recordRecommendation(input.key, input.desiredReplicas, input.nowMs, windowMs);

  const scaleUpLimit = Math.max(2 * input.currentReplicas, 4);
  const ceiling = input.maxReplicas > scaleUpLimit ? { replicas: scaleUpLimit, ...UP_LIMIT } : { replicas: input.maxReplicas, ...TOO_MANY };
  let limit: Limit = { replicas: stabilized, ...WITHIN_RANGE };
  if (stabilized < input.minReplicas) limit = { replicas: input.minReplicas, ...TOO_FEW };
  else if (stabilized > ceiling.replicas) limit = ceiling;
  return {
    replicas: limit.replicas,
    ableToScale: stabilized !== input.desiredReplicas ? SCALE_DOWN_STABILIZED : READY,
    scalingLimited: limitedCondition(limit, stabilized),
  };
}

/** Pods changed by events within the last `periodSeconds` (strictly after the cutoff). */
function changedWithin(events: readonly ScaleEvent[], periodSeconds: number, nowMs: number): number {
  const cutoff = nowMs - periodSeconds * 1000;
  return events.reduce((sum, e) => (e.atMs > cutoff ? sum + e.change : sum), 0);
}

/**
 * The most pods the scale-up policies allow now. Each policy measures from the size at the start
 * of its period: 5 pods after +3 in the last 15 s started the period at 2, so "100% per 15 s"
 * allows ceil(2 * 2) = 4 (already exceeded: stay at 5) and "4 pods per 15 s" allows 2 + 4 = 6.
 * Max picks the largest allowance, Min the smallest.
 */
function scaleUpLimit(current: number, rules: ScalingRules, ups: readonly ScaleEvent[], downs: readonly ScaleEvent[], nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((policy) => {
    const start = current - changedWithin(ups, policy.periodSeconds, nowMs) + changedWithin(downs, policy.periodSeconds, nowMs);
    return policy.type === 'Pods' ? start + policy.value : Math.ceil(start * (1 + policy.value / 100));
  });
  if (proposals.length === 0) return rules.selectPolicy === 'Min' ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  return rules.selectPolicy === 'Min' ? Math.min(...proposals) : Math.max(...proposals);
}

/** The fewest pods the scale-down policies allow now (Percent rounds the survivors down). */
function scaleDownLimit(current: number, rules: ScalingRules, ups: readonly ScaleEvent[], downs: readonly ScaleEvent[], nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((policy) => {
    const start = current - changedWithin(ups, policy.periodSeconds, nowMs) + changedWithin(downs, policy.periodSeconds, nowMs);
    return policy.type === 'Pods' ? start - policy.value : Math.trunc(start * (1 - policy.value / 100));
  });
  if (proposals.length === 0) return rules.selectPolicy === 'Min' ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  return rules.selectPolicy === 'Min' ? Math.max(...proposals) : Math.min(...proposals);
}

/**
 * With spec.behavior: the recommendation is held between the lowest recommendation of the
 * scale-up window and the highest of the scale-down window (so a dip or spike shorter than the
 * window changes nothing), then limited by the policies' rate and minReplicas/maxReplicas.
 */
export function normalizeWithBehavior(input: NormalizeInput, behavior: ScalingBehavior, history: ScalingHistory): Normalized {
  const { key, currentReplicas: current, desiredReplicas: desired, nowMs } = input;
  const upWindowMs = behavior.scaleUp.stabilizationWindowSeconds * 1000;
  const downWindowMs = behavior.scaleDown.stabilizationWindowSeconds * 1000;
  let upFloor = desired;
  let downCeiling = desired;
  for (const r of history.recommendations(key)) {
    if (r.atMs > nowMs - upWindowMs) upFloor = Math.min(upFloor, r.replicas);
    if (r.atMs > nowMs - downWindowMs) downCeiling = Math.max(downCeiling, r.replicas);
  }
  const stabilized = Math.min(Math.max(current, upFloor), downCeiling);
  history.recordRecommendation(key, desired, nowMs, Math.max(upWindowMs, downWindowMs));
  const stabilizedCondition = desired >= current ? SCALE_UP_STABILIZED : SCALE_DOWN_STABILIZED;

  const ups = history.scaleUps(key);
  const downs = history.scaleDowns(key);
  let limit: Limit = { replicas: stabilized, ...WITHIN_RANGE };
  if (stabilized > current) {
    const rate = Math.max(scaleUpLimit(current, behavior.scaleUp, ups, downs, nowMs), current);
    const ceiling = input.maxReplicas > rate ? { replicas: rate, ...UP_LIMIT } : { replicas: input.maxReplicas, ...TOO_MANY };
    if (stabilized > ceiling.replicas) limit = ceiling;
  } else if (stabilized < current) {
    const rate = Math.min(scaleDownLimit(current, behavior.scaleDown, ups, downs, nowMs), current);
    const floor = input.minReplicas < rate ? { replicas: rate, ...DOWN_LIMIT } : { replicas: input.minReplicas, ...TOO_FEW };
    if (stabilized < floor.replicas) limit = floor;
  }
  return {
    replicas: limit.replicas,
    ableToScale: stabilized !== desired ? stabilizedCondition : READY,
    scalingLimited: limitedCondition(limit, stabilized),
  };
}

// What the HPA controller remembers between passes, per HPA key and in memory only (as upstream:
// a restarted controller starts afresh): recent unstabilized recommendations, for stabilization
// windows, and recent scale changes, for behavior policies ("at most 4 pods per 15 s").
import type { ScalingBehavior } from './scaling-behavior.js';
import { longestPolicyPeriodSeconds } from './scaling-behavior.js';

export interface TimedRecommendation {
  readonly replicas: number;
  readonly atMs: number;
}

export interface ScaleEvent {
  /** Pods added (scale-up list) or removed (scale-down list): always positive. */
  readonly change: number;
  readonly atMs: number;
}

interface HpaHistory {
  recommendations: TimedRecommendation[];
  scaleUps: ScaleEvent[];
  scaleDowns: ScaleEvent[];
}

export class ScalingHistory {
  readonly #byKey = new Map<string, HpaHistory>();

  #of(key: string): HpaHistory {
    let history = this.#byKey.get(key);
    if (history === undefined) {
      history = { recommendations: [], scaleUps: [], scaleDowns: [] };
      this.#byKey.set(key, history);
    }
    return history;
  }

  /** The HPA is gone: forget it. */
  forget(key: string): void {
    this.#byKey.delete(key);
  }

  /** A first pass counts the current size as a recommendation, so a quick scale-down waits too. */
  recordInitialRecommendation(key: string, replicas: number, nowMs: number): void {
    const history = this.#of(key);
    if (history.recommendations.length === 0) history.recommendations.push({ replicas, atMs: nowMs });
  }

  recommendations(key: string): readonly TimedRecommendation[] {
    return this.#of(key).recommendations;
  }

  /**
   * Records this pass's recommendation, reusing the slot of one older than `keepMs` (upstream
   * keeps the list short by overwriting one stale entry rather than pruning).
   */
  recordRecommendation(key: string, replicas: number, nowMs: number, keepMs: number): void {
    const list = this.#of(key).recommendations;
    const stale = list.findLastIndex((r) => r.atMs < nowMs - keepMs);
    const entry = { replicas, atMs: nowMs };
    if (stale >= 0) list[stale] = entry;
    else list.push(entry);
  }

  scaleUps(key: string): readonly ScaleEvent[] {
    return this.#of(key).scaleUps;
  }

  scaleDowns(key: string): readonly ScaleEvent[] {
    return this.#of(key).scaleDowns;
  }

  /** Only HPAs with behavior use scale events; one outside every policy period is replaced. */
  recordScale(key: string, behavior: ScalingBehavior, from: number, to: number, nowMs: number): void {
    const up = to > from;
    const list = up ? this.#of(key).scaleUps : this.#of(key).scaleDowns;
    const periodMs = longestPolicyPeriodSeconds(up ? behavior.scaleUp : behavior.scaleDown) * 1000;
    const outdated = list.findLastIndex((e) => e.atMs < nowMs - periodMs);
    const entry = { change: Math.abs(to - from), atMs: nowMs };
    if (outdated >= 0) list[outdated] = entry;
    else list.push(entry);
  }
}

// One scheduling decision, pure and synchronous (upstream: schedulePod / findNodesThatFitPod /
// prioritizeNodes / selectHost): filter nodes, score the feasible ones, pick the best.
//
// Sampling (upstream percentageOfNodesToScore): in a large cluster it is enough to find a sample of
// feasible nodes and score those. Adaptive default: 50% - nodes/125, at least 5%, and never fewer
// than 100 nodes. Example: 5,000 nodes -> 50 - 40 = 10% -> stop after 500 feasible nodes. The
// search starts where the previous one stopped, so successive pods look at different nodes.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { CycleState } from './framework/cycle-state.js';
import type { FilterPlugin, FilterResult } from './framework/plugin.js';
import type { NodeInfo } from './framework/node-info.js';
import type { NodeSnapshot } from './framework/node-snapshot.js';
import type { NominatedPods } from './framework/nominator.js';
import { podKey } from './framework/pod-key.js';
import { runFiltersWithNominated } from './framework/run-filters.js';
import type { SchedulerProfile } from './plugins/default-plugins.js';

const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
const BASE_PERCENTAGE_OF_NODES_TO_SCORE = 50;

export function numFeasibleNodesToFind(numAllNodes: number, percentageOfNodesToScore: number | undefined): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let percentage = percentageOfNodesToScore ?? 0;
  if (percentage <= 0) {
    percentage = BASE_PERCENTAGE_OF_NODES_TO_SCORE - Math.trunc(numAllNodes / 125);
    if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  if (percentage >= 100) return numAllNodes;
  const numNodes = Math.trunc((numAllNodes * percentage) / 100);
  return numNodes < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : numNodes;
}

export interface Unschedulable {
  readonly kind: 'unschedulable';
  readonly numAllNodes: number;
  readonly nodeFailures: readonly FilterResult[];
  /** Nodes that failed with Unschedulable (not ...AndUnresolvable): where preemption may help. */
  readonly candidates: readonly NodeInfo[];
  /** The cycle's filters (those PreFilter did not skip) and state, for preemption's what-ifs. */
  readonly filters: readonly FilterPlugin[];
  readonly state: CycleState;
}

export type ScheduleOutcome =
  | { readonly kind: 'scheduled'; readonly nodeName: string; readonly evaluated: number; readonly feasible: number }
  | Unschedulable;

export interface PodSchedulerOptions {
  readonly profile: SchedulerProfile;
  readonly percentageOfNodesToScore?: number;
  /** For tie-breaking; injectable so tests are deterministic. Default Math.random. */
  readonly random?: () => number;
  /** Overrides the sampling size (1 = first fit; the benchmark's baseline uses it). */
  readonly feasibleNodesToFind?: number;
}

export class PodScheduler {
  private readonly profile: SchedulerProfile;
  private readonly percentage: number | undefined;
  private readonly random: () => number;
  private readonly feasibleNodesToFind: number | undefined;
  private nextStartNodeIndex = 0;

  constructor(options: PodSchedulerOptions) {
    this.profile = options.profile;
    this.percentage = options.percentageOfNodesToScore;
    this.random = options.random ?? Math.random;
    this.feasibleNodesToFind = options.feasibleNodesToFind;
  }

  /**
   * `nominated`: pods waiting for room they preempted (see framework/nominator.ts). A pod that is
   * itself nominated tries its node first and takes it when it fits (upstream
   * evaluateNominatedNode), so the room made for it is used by it.
   */
  schedule(pod: Pod, snapshot: NodeSnapshot, nominated?: NominatedPods): ScheduleOutcome {
    const nodes = snapshot.nodeInfos();
    const total = nodes.length;
    const state = new CycleState();
    if (total === 0) return { kind: 'unschedulable', numAllNodes: 0, nodeFailures: [], candidates: [], filters: [], state };
    const filters = this.profile.filters.filter((p) => !p.preFilter || p.preFilter(pod, snapshot, state) !== 'skip');
    const nominatedNode = nominated?.nodeOf(podKey(pod)) ?? pod.status?.nominatedNodeName;
    if (nominatedNode) {
      const info = snapshot.get(nominatedNode);
      if (info && !runFiltersWithNominated(filters, pod, info, state, nominated)) return { kind: 'scheduled', nodeName: info.name, evaluated: 1, feasible: 1 };
    }

    const want = this.feasibleNodesToFind ?? numFeasibleNodesToFind(total, this.percentage);
    const feasible: NodeInfo[] = [];
    const failures: FilterResult[] = [];
    const candidates: NodeInfo[] = [];
    let processed = 0;
    const start = this.nextStartNodeIndex % total;
    for (; processed < total && feasible.length < want; processed++) {
      const info = nodes[(start + processed) % total];
      if (!info) continue;
      const failure = runFiltersWithNominated(filters, pod, info, state, nominated);
      if (!failure) feasible.push(info);
      else {
        failures.push(failure);
        if (failure.code === 'Unschedulable') candidates.push(info);
      }
    }
    this.nextStartNodeIndex = (start + processed) % total;
    if (feasible.length === 0) return { kind: 'unschedulable', numAllNodes: total, nodeFailures: failures, candidates, filters, state };
    const chosen = feasible.length === 1 ? feasible[0] : this.pick(pod, feasible, snapshot, state);
    return { kind: 'scheduled', nodeName: chosen?.name ?? '', evaluated: processed, feasible: feasible.length };
  }

  /** Weighted sum of normalised scores; the best wins, ties broken uniformly at random. */
  private pick(pod: Pod, feasible: readonly NodeInfo[], snapshot: NodeSnapshot, state: CycleState): NodeInfo | undefined {
    const totals = new Float64Array(feasible.length);
    const scores = new Array<number>(feasible.length);
    for (const plugin of this.profile.scores) {
      if (plugin.preScore && plugin.preScore(pod, feasible, snapshot, state) === 'skip') continue;
      for (let i = 0; i < feasible.length; i++) scores[i] = plugin.score(pod, feasible[i] as NodeInfo, state);
      plugin.normalize?.(pod, scores, feasible, state);
      for (let i = 0; i < feasible.length; i++) totals[i] = (totals[i] ?? 0) + (scores[i] ?? 0) * plugin.weight;
    }
    // Reservoir sampling over the maxima: each tied node is chosen with equal probability.
    let best = -Infinity;
    let chosen: NodeInfo | undefined;
    let ties = 0;
    for (let i = 0; i < feasible.length; i++) {
      const total = totals[i] ?? 0;
      if (total > best) {
        best = total;
        chosen = feasible[i];
        ties = 1;
      } else if (total === best) {
        ties++;
        if (this.random() * ties < 1) chosen = feasible[i];
      }
    }
    return chosen;
  }
}

// TaintToleration: the filter rejects nodes with a NoSchedule/NoExecute taint the pod does not
// tolerate (this is also how NotReady/unreachable nodes are avoided: the node lifecycle controller
// taints them); the score prefers nodes with fewer untolerated PreferNoSchedule taints.
import type { Pod, Toleration } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { NodeSnapshot } from '../framework/node-snapshot.js';
import {
  defaultNormalize,
  SUCCESS,
  unresolvable,
  type FilterPlugin,
  type FilterResult,
  type PreResult,
  type ScorePlugin,
} from '../framework/plugin.js';
import { firstUntolerated, tolerated } from '../framework/toleration.js';

export class TaintTolerationFilter implements FilterPlugin {
  readonly name = 'TaintToleration';

  filter(pod: Pod, nodeInfo: NodeInfo): FilterResult {
    const taint = firstUntolerated(nodeInfo.hardTaints, pod.spec?.tolerations);
    if (!taint) return SUCCESS;
    return unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
  }
}

const STATE_KEY = 'PreScoreTaintToleration';

export class TaintTolerationScore implements ScorePlugin {
  readonly name = 'TaintToleration';
  readonly weight: number;

  constructor(options: { weight?: number } = {}) {
    this.weight = options.weight ?? 3;
  }

  preScore(pod: Pod, _feasible: readonly NodeInfo[], snapshot: NodeSnapshot | undefined, state: CycleState): PreResult {
    // No PreferNoSchedule taint anywhere: every node would score 100, and adding the same amount
    // to every node changes neither the best node nor the ties, so skip the per-node work.
    if (snapshot && snapshot.nodesWithPreferNoScheduleTaints().size === 0) return 'skip';
    // Only tolerations that can apply to PreferNoSchedule taints matter here.
    const relevant = (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    state.write(STATE_KEY, relevant);
    return undefined;
  }

  /** The number of PreferNoSchedule taints the pod does not tolerate (fewer is better). */
  score(_pod: Pod, nodeInfo: NodeInfo, state: CycleState): number {
    const tolerations = state.read<Toleration[]>(STATE_KEY);
    let count = 0;
    for (const taint of nodeInfo.softTaints) if (!tolerated(tolerations, taint)) count++;
    return count;
  }

  normalize(_pod: Pod, scores: number[]): void {
    defaultNormalize(scores, true);
  }
}

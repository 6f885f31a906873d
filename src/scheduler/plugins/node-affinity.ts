// NodeAffinity: the filter applies spec.nodeSelector and the required node affinity terms (all
// operators: In, NotIn, Exists, DoesNotExist, Gt, Lt; matchFields on metadata.name); the score sums
// the weights of the preferred terms a node matches, scaled so the best node gets 100.
import type { Pod, PreferredSchedulingTerm } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { NodeInfo } from '../framework/node-info.js';
import { termMatches } from '../framework/node-selector-match.js';
import {
  defaultNormalize,
  SUCCESS,
  unresolvable,
  type FilterPlugin,
  type FilterResult,
  type PreResult,
  type ScorePlugin,
} from '../framework/plugin.js';
import { matchesRequiredNodeAffinity } from '../framework/required-node-affinity.js';

export const ERR_REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

export class NodeAffinityFilter implements FilterPlugin {
  readonly name = 'NodeAffinity';

  preFilter(pod: Pod): PreResult {
    const hasSelector = pod.spec?.nodeSelector && Object.keys(pod.spec.nodeSelector).length > 0;
    const hasRequired = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    return hasSelector || hasRequired ? undefined : 'skip';
  }

  filter(pod: Pod, nodeInfo: NodeInfo): FilterResult {
    return matchesRequiredNodeAffinity(pod, nodeInfo.node) ? SUCCESS : unresolvable(ERR_REASON_NODE_AFFINITY);
  }
}

const STATE_KEY = 'PreScoreNodeAffinity';

export class NodeAffinityScore implements ScorePlugin {
  readonly name = 'NodeAffinity';
  readonly weight: number;

  constructor(options: { weight?: number } = {}) {
    this.weight = options.weight ?? 2;
  }

  preScore(pod: Pod, _feasible: readonly NodeInfo[], _snapshot: unknown, state: CycleState): PreResult {
    const preferred = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    if (preferred.length === 0) return 'skip';
    state.write(STATE_KEY, preferred);
    return undefined;
  }

  score(_pod: Pod, nodeInfo: NodeInfo, state: CycleState): number {
    let sum = 0;
    for (const term of state.read<PreferredSchedulingTerm[]>(STATE_KEY) ?? []) {
      if (term.weight !== 0 && termMatches(term.preference, nodeInfo.node)) sum += term.weight;
    }
    return sum;
  }

  normalize(_pod: Pod, scores: number[]): void {
    defaultNormalize(scores, false);
  }
}

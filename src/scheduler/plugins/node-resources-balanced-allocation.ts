// NodeResourcesBalancedAllocation score: prefer nodes whose cpu and memory would be used in
// similar fractions after placing the pod, so neither runs out while the other idles.
// score = (1 - std) * 100 where std over two fractions is |f_cpu - f_mem| / 2 (fractions capped
// at 1). Example: node 4 cpu / 8Gi; after the pod 2 cpu (0.5) and 2Gi (0.25) requested ->
// std 0.125 -> 87. Uses the actual requests (not the 100m/200Mi non-zero defaults), as upstream.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from '../framework/node-info.js';
import { MAX_NODE_SCORE, type ScorePlugin } from '../framework/plugin.js';
import { podRequests } from '../framework/pod-resources.js';

export class NodeResourcesBalancedAllocation implements ScorePlugin {
  readonly name = 'NodeResourcesBalancedAllocation';
  readonly weight: number;

  constructor(options: { weight?: number } = {}) {
    this.weight = options.weight ?? 1;
  }

  score(pod: Pod, nodeInfo: NodeInfo): number {
    const request = podRequests(pod);
    const alloc = nodeInfo.allocatable;
    // Both fractions are needed for a deviation; with one resource (or none) std stays 0.
    let std = 0;
    if (alloc.milliCpu > 0 && alloc.memory > 0) {
      const cpu = Math.min(1, (nodeInfo.requested.milliCpu + request.milliCpu) / alloc.milliCpu);
      const memory = Math.min(1, (nodeInfo.requested.memory + request.memory) / alloc.memory);
      std = Math.abs((cpu - memory) / 2);
    }
    return Math.trunc((1 - std) * MAX_NODE_SCORE);
  }
}

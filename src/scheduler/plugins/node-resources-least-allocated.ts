// NodeResourcesLeastAllocated score (NodeResourcesFit's LeastAllocated strategy): prefer nodes
// with the most cpu and memory left after placing the pod, cpu and memory weighted equally.
// Per resource: (allocatable - requested) * 100 / allocatable, integer division; the node score is
// their mean. Example: node 4 cpu / 8Gi, 1 cpu / 2Gi already requested, pod asks 1 cpu / 2Gi:
// cpu (4000-2000)*100/4000 = 50, memory (8-4)*100/8 = 50 -> 50. Unset requests count as
// 100m / 200Mi (non-zero requests) so empty pods still spread.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from '../framework/node-info.js';
import { MAX_NODE_SCORE, type ScorePlugin } from '../framework/plugin.js';
import { podRequests } from '../framework/pod-resources.js';

function leastRequested(requested: number, allocatable: number): number {
  if (allocatable === 0 || requested > allocatable) return 0;
  return Math.trunc(((allocatable - requested) * MAX_NODE_SCORE) / allocatable);
}

export class NodeResourcesLeastAllocated implements ScorePlugin {
  readonly name = 'NodeResourcesFit';
  readonly weight: number;

  constructor(options: { weight?: number } = {}) {
    this.weight = options.weight ?? 1;
  }

  score(pod: Pod, nodeInfo: NodeInfo): number {
    const request = podRequests(pod);
    const alloc = nodeInfo.allocatable;
    let sum = 0;
    let weights = 0;
    if (alloc.milliCpu > 0) {
      sum += leastRequested(nodeInfo.nonZeroRequested.milliCpu + request.nonZeroMilliCpu, alloc.milliCpu);
      weights++;
    }
    if (alloc.memory > 0) {
      sum += leastRequested(nodeInfo.nonZeroRequested.memory + request.nonZeroMemory, alloc.memory);
      weights++;
    }
    return weights === 0 ? 0 : Math.trunc(sum / weights);
  }
}

// NodeResourcesFit filter: the pod's effective requests must fit in allocatable minus what the
// pods already on the node (bound or assumed) request, and the node must have a pod slot left.
// Example: allocatable cpu 2, pods there request 1500m, new pod requests 600m -> 600 > 2000-1500
// -> "Insufficient cpu". A pod that requests nothing is only checked against the pod count.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from '../framework/node-info.js';
import { SUCCESS, unschedulable, type FilterPlugin, type FilterResult } from '../framework/plugin.js';
import { podRequests, type PodRequests } from '../framework/pod-resources.js';

export class NodeResourcesFitFilter implements FilterPlugin {
  readonly name = 'NodeResourcesFit';

  filter(pod: Pod, nodeInfo: NodeInfo): FilterResult {
    const request = podRequests(pod);
    const tooMany = nodeInfo.podCount + 1 > nodeInfo.allowedPodNumber;
    if (!tooMany && fitsQuickly(request, nodeInfo)) return SUCCESS;
    const reasons: string[] = [];
    if (tooMany) reasons.push('Too many pods');
    if (!request.empty) {
      const free = nodeInfo.allocatable;
      const used = nodeInfo.requested;
      if (request.milliCpu > 0 && request.milliCpu > free.milliCpu - used.milliCpu) reasons.push('Insufficient cpu');
      if (request.memory > 0 && request.memory > free.memory - used.memory) reasons.push('Insufficient memory');
      if (request.ephemeralStorage > 0 && request.ephemeralStorage > free.ephemeralStorage - used.ephemeralStorage) {
        reasons.push('Insufficient ephemeral-storage');
      }
      if (request.scalar) {
        for (const [name, wanted] of request.scalar) {
          if (wanted > 0 && wanted > (free.scalar?.get(name) ?? 0) - (used.scalar?.get(name) ?? 0)) reasons.push(`Insufficient ${name}`);
        }
      }
    }
    return reasons.length === 0 ? SUCCESS : unschedulable(...reasons);
  }
}

/** The common case without allocating: cpu/memory/storage fit and no extended resources. */
function fitsQuickly(request: PodRequests, nodeInfo: NodeInfo): boolean {
  if (request.empty) return true;
  if (request.scalar) return false;
  return (
    request.milliCpu <= nodeInfo.freeMilliCpu &&
    request.memory <= nodeInfo.freeMemory &&
    request.ephemeralStorage <= nodeInfo.freeEphemeralStorage
  );
}

// NodeName filter: a pod that names its node fits only there.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from '../framework/node-info.js';
import { SUCCESS, unresolvable, type FilterPlugin, type FilterResult, type PreResult } from '../framework/plugin.js';

export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export class NodeNameFilter implements FilterPlugin {
  readonly name = 'NodeName';

  preFilter(pod: Pod): PreResult {
    return pod.spec?.nodeName ? undefined : 'skip';
  }

  filter(pod: Pod, nodeInfo: NodeInfo): FilterResult {
    const wanted = pod.spec?.nodeName;
    return !wanted || wanted === nodeInfo.name ? SUCCESS : unresolvable(ERR_REASON_NODE_NAME);
  }
}

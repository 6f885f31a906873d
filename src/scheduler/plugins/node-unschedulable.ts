// NodeUnschedulable filter: a cordoned node (spec.unschedulable) takes only pods that tolerate
// the node.kubernetes.io/unschedulable:NoSchedule taint.
import type { Pod, Taint } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from '../framework/node-info.js';
import { SUCCESS, unresolvable, type FilterPlugin, type FilterResult } from '../framework/plugin.js';
import { tolerated } from '../framework/toleration.js';

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export class NodeUnschedulableFilter implements FilterPlugin {
  readonly name = 'NodeUnschedulable';

  filter(pod: Pod, nodeInfo: NodeInfo): FilterResult {
    if (!nodeInfo.unschedulable) return SUCCESS;
    return tolerated(pod.spec?.tolerations, UNSCHEDULABLE_TAINT) ? SUCCESS : unresolvable(ERR_REASON_UNSCHEDULABLE);
  }
}

// `kubectl get hpa`: NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE (upstream's
// printHorizontalPodAutoscaler, 1.32). REFERENCE is `Kind/name` of the scale target; REPLICAS is
// what the controller last saw (status.currentReplicas).
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { formatHpaMetrics } from './hpa-metrics-cell.js';
import { ageColumn, nameColumn, tableColumn } from './table-column.js';

export const horizontalPodAutoscalerTable: TableConvertor = {
  // Upstream types every column `string`, the numeric ones included.
  columns: [
    nameColumn,
    tableColumn('Reference', 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.'),
    tableColumn('Targets', 'metrics contains the specifications for which to use to calculate the desired replica count.'),
    tableColumn('MinPods', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
    tableColumn('MaxPods', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
    tableColumn('Replicas', 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
    ageColumn,
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const hpa = obj as HorizontalPodAutoscaler;
    const ref = hpa.spec?.scaleTargetRef;
    return [
      hpa.metadata?.name ?? '',
      `${ref?.kind ?? ''}/${ref?.name ?? ''}`,
      formatHpaMetrics(hpa.spec?.metrics, hpa.status?.currentMetrics),
      hpa.spec?.minReplicas === undefined ? '<unset>' : String(hpa.spec.minReplicas),
      hpa.spec?.maxReplicas ?? 0,
      hpa.status?.currentReplicas ?? 0,
      translateTimestampSince(hpa.metadata?.creationTimestamp, now),
    ];
  },
};

// `kubectl get deploy NAME --subresource=scale`: NAME DESIRED AVAILABLE AGE, the columns upstream's
// printers give an autoscaling/v1 Scale (Desired = spec.replicas, Available = status.replicas).
import type { Scale } from 'kubernetes-types/autoscaling/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { ageColumn, nameColumn, tableColumn } from './table-column.js';

export const scaleTable: TableConvertor = {
  columns: [
    nameColumn,
    tableColumn('Desired', 'replicas is the desired number of instances for the scaled object.', { type: 'integer' }),
    tableColumn('Available', 'replicas is the actual number of observed instances of the scaled object.', { type: 'integer' }),
    ageColumn,
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const scale = obj as Scale;
    return [scale.metadata?.name ?? '', scale.spec?.replicas ?? 0, scale.status?.replicas ?? 0, translateTimestampSince(scale.metadata?.creationTimestamp, now)];
  },
};

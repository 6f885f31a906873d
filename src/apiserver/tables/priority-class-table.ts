// `kubectl get priorityclasses` / `kubectl get pc`: NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY
// (upstream printPriorityClass; the policy column comes after AGE, as in 1.32).
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { ageColumn, nameColumn, tableColumn } from './table-column.js';

export const priorityClassTable: TableConvertor = {
  columns: [
    nameColumn,
    tableColumn('Value', 'value represents the integer value of this priority class.', { type: 'integer' }),
    tableColumn('Global-Default', 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.', { type: 'boolean' }),
    ageColumn,
    tableColumn('PreemptionPolicy', 'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority.'),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const pc = obj as unknown as PriorityClass;
    return [
      pc.metadata?.name ?? '',
      pc.value ?? 0,
      pc.globalDefault ?? false,
      translateTimestampSince(pc.metadata?.creationTimestamp, now),
      pc.preemptionPolicy ?? '',
    ];
  },
};

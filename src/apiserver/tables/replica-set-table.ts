// `kubectl get replicasets`: NAME DESIRED CURRENT READY AGE | CONTAINERS IMAGES SELECTOR.
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { containerCells } from './container-cells.js';
import { labelSelectorCell } from './label-selector-cell.js';
import { ageColumn, nameColumn, tableColumn, wideColumn } from './table-column.js';

export const replicaSetTable: TableConvertor = {
  columns: [
    nameColumn,
    tableColumn('Desired', 'Replicas is the number of desired replicas.', { type: 'integer' }),
    tableColumn('Current', 'Replicas is the most recently observed number of replicas.', { type: 'integer' }),
    tableColumn('Ready', 'The number of ready replicas for this replica set.', { type: 'integer' }),
    ageColumn,
    wideColumn('Containers', 'Names of each container in the template.'),
    wideColumn('Images', 'Images referenced by each container in the template.'),
    wideColumn('Selector', 'Selector is a label query over pods that should match the replica count.'),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const rs = obj as ReplicaSet;
    const { names, images } = containerCells(rs.spec?.template?.spec?.containers);
    return [
      rs.metadata?.name ?? '',
      rs.spec?.replicas ?? 1,
      rs.status?.replicas ?? 0,
      rs.status?.readyReplicas ?? 0,
      translateTimestampSince(rs.metadata?.creationTimestamp, now),
      names,
      images,
      labelSelectorCell(rs.spec?.selector),
    ];
  },
};

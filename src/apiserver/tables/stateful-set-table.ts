// `kubectl get statefulsets`: NAME READY AGE | CONTAINERS IMAGES (upstream's printStatefulSet),
// READY being ready pods over desired replicas.
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { containerCells } from './container-cells.js';
import { ageColumn, nameColumn, tableColumn, wideColumn } from './table-column.js';

export const statefulSetTable: TableConvertor = {
  columns: [
    nameColumn,
    tableColumn('Ready', 'Number of the pod with ready state'),
    ageColumn,
    wideColumn('Containers', 'Names of each container in the template.'),
    wideColumn('Images', 'Images referenced by each container in the template.'),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const set = obj as StatefulSet;
    const { names, images } = containerCells(set.spec?.template?.spec?.containers);
    return [
      set.metadata?.name ?? '',
      `${set.status?.readyReplicas ?? 0}/${set.spec?.replicas ?? 1}`,
      translateTimestampSince(set.metadata?.creationTimestamp, now),
      names,
      images,
    ];
  },
};

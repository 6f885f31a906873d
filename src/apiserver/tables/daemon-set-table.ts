// `kubectl get daemonsets`: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE |
// CONTAINERS IMAGES SELECTOR (upstream's printDaemonSet). The counts are the controller's status
// (0 until it has run); NODE SELECTOR is the pod template's nodeSelector.
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { containerCells } from './container-cells.js';
import { formatLabels } from './label-map-cell.js';
import { labelSelectorCell } from './label-selector-cell.js';
import { ageColumn, nameColumn, tableColumn, wideColumn } from './table-column.js';

export const daemonSetTable: TableConvertor = {
  columns: [
    nameColumn,
    tableColumn('Desired', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).', { type: 'integer' }),
    tableColumn('Current', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.', { type: 'integer' }),
    tableColumn('Ready', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.', { type: 'integer' }),
    tableColumn('Up-to-date', 'The total number of nodes that are running updated daemon pod', { type: 'integer' }),
    tableColumn('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)', { type: 'integer' }),
    tableColumn('Node Selector', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    ageColumn,
    wideColumn('Containers', 'Names of each container in the template.'),
    wideColumn('Images', 'Images referenced by each container in the template.'),
    wideColumn('Selector', 'A label query over pods that are managed by the daemon set.'),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const ds = obj as DaemonSet;
    const podSpec = ds.spec?.template?.spec;
    const { names, images } = containerCells(podSpec?.containers);
    const status = ds.status;
    return [
      ds.metadata?.name ?? '',
      status?.desiredNumberScheduled ?? 0,
      status?.currentNumberScheduled ?? 0,
      status?.numberReady ?? 0,
      status?.updatedNumberScheduled ?? 0,
      status?.numberAvailable ?? 0,
      formatLabels(podSpec?.nodeSelector),
      translateTimestampSince(ds.metadata?.creationTimestamp, now),
      names,
      images,
      labelSelectorCell(ds.spec?.selector),
    ];
  },
};

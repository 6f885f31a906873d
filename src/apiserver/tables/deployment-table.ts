// `kubectl get deployments`: NAME READY UP-TO-DATE AVAILABLE AGE | CONTAINERS IMAGES SELECTOR.
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../api/object.js';
import { formatLabelSelector } from '../../api/selectors/label-selector.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { containerCells } from './container-cells.js';
import { ageColumn, nameColumn, tableColumn, wideColumn } from './table-column.js';

/** Upstream prints the selector's string form here ('' when empty), `<invalid>` when it cannot parse. */
function selectorCell(deployment: Deployment): string {
  try {
    return formatLabelSelector(deployment.spec?.selector);
  } catch {
    return '<invalid>';
  }
}

export const deploymentTable: TableConvertor = {
  columns: [
    nameColumn,
    tableColumn('Ready', 'Number of the pod with ready state'),
    tableColumn('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    tableColumn('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn,
    wideColumn('Containers', 'Names of each container in the template.'),
    wideColumn('Images', 'Images referenced by each container in the template.'),
    wideColumn('Selector', 'Label selector for pods.'),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const d = obj as Deployment;
    const { names, images } = containerCells(d.spec?.template.spec?.containers);
    return [
      d.metadata?.name ?? '',
      `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`,
      d.status?.updatedReplicas ?? 0,
      d.status?.availableReplicas ?? 0,
      translateTimestampSince(d.metadata?.creationTimestamp, now),
      names,
      images,
      selectorCell(d),
    ];
  },
};

// `kubectl get gatewayclasses`: NAME CONTROLLER ACCEPTED AGE (+ DESCRIPTION with -o wide), the
// CRD's additionalPrinterColumns. Missing values are null cells, as upstream's CRD tables have.
import type { KubeObject } from '../../api/object.js';
import { recordOf } from '../../api/validation/json-access.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { conditionStatusCell } from './condition-status-cell.js';
import { ageColumn, nameColumn, tableColumn, wideColumn } from './table-column.js';

function stringCell(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export const gatewayClassTable: TableConvertor = {
  columns: [
    nameColumn,
    tableColumn('Controller', 'ControllerName is the name of the controller that is managing Gateways of this class.'),
    tableColumn('Accepted', 'Status of the Accepted condition.'),
    ageColumn,
    wideColumn('Description', 'Description helps describe a GatewayClass with more details.'),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const spec = recordOf(obj.spec);
    return [
      obj.metadata?.name ?? '',
      stringCell(spec?.controllerName),
      conditionStatusCell(obj, 'Accepted'),
      translateTimestampSince(obj.metadata?.creationTimestamp, now),
      stringCell(spec?.description),
    ];
  },
};

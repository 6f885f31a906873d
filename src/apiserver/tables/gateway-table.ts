// `kubectl get gateways`: NAME CLASS ADDRESS PROGRAMMED AGE, the CRD's additionalPrinterColumns.
// ADDRESS is `.status.addresses[*].value`, of which upstream's CRD table shows the first value.
import type { KubeObject } from '../../api/object.js';
import { recordOf, recordsOf } from '../../api/validation/json-access.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { conditionStatusCell } from './condition-status-cell.js';
import { ageColumn, nameColumn, tableColumn } from './table-column.js';

export const gatewayTable: TableConvertor = {
  columns: [
    nameColumn,
    tableColumn('Class', 'GatewayClassName used for this Gateway.'),
    tableColumn('Address', 'Addresses lists the network addresses that have been bound to the Gateway.'),
    tableColumn('Programmed', 'Status of the Programmed condition.'),
    ageColumn,
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const className = recordOf(obj.spec)?.gatewayClassName;
    const address = recordsOf(recordOf(obj.status)?.addresses)[0]?.value;
    return [
      obj.metadata?.name ?? '',
      typeof className === 'string' ? className : null,
      typeof address === 'string' ? address : null,
      conditionStatusCell(obj, 'Programmed'),
      translateTimestampSince(obj.metadata?.creationTimestamp, now),
    ];
  },
};

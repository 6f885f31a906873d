// `kubectl get httproutes`: NAME HOSTNAMES AGE, the CRD's additionalPrinterColumns. HOSTNAMES is
// `.spec.hostnames`, an array, which upstream's CRD table prints as compact JSON: ["a.example.com"].
import type { KubeObject } from '../../api/object.js';
import { recordOf } from '../../api/validation/json-access.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { ageColumn, nameColumn, tableColumn } from './table-column.js';

export const httpRouteTable: TableConvertor = {
  columns: [
    nameColumn,
    tableColumn('Hostnames', 'Hostnames defines a set of hostnames that should match against the HTTP Host header.'),
    ageColumn,
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const hostnames = recordOf(obj.spec)?.hostnames;
    return [
      obj.metadata?.name ?? '',
      Array.isArray(hostnames) ? JSON.stringify(hostnames) : null,
      translateTimestampSince(obj.metadata?.creationTimestamp, now),
    ];
  },
};

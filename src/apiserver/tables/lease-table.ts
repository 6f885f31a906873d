// `kubectl get leases`: NAME HOLDER AGE.
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { ageColumn, nameColumn, tableColumn } from './table-column.js';

export const leaseTable: TableConvertor = {
  columns: [nameColumn, tableColumn('Holder', 'holderIdentity contains the identity of the holder of a current lease.'), ageColumn],
  cells(obj: KubeObject, now: Date): unknown[] {
    const lease = obj as Lease;
    return [lease.metadata?.name ?? '', lease.spec?.holderIdentity ?? '', translateTimestampSince(lease.metadata?.creationTimestamp, now)];
  },
};

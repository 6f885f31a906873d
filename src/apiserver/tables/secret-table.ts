// `kubectl get secrets`: NAME TYPE DATA AGE.
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { ageColumn, nameColumn, tableColumn } from './table-column.js';

export const secretTable: TableConvertor = {
  columns: [
    nameColumn,
    tableColumn('Type', 'Used to facilitate programmatic handling of secret data.'),
    tableColumn('Data', 'Data contains the secret data.'),
    ageColumn,
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const secret = obj as Secret;
    // Upstream counts the internal object's data, into which stringData has been merged.
    const keys = new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]);
    return [
      secret.metadata?.name ?? '',
      secret.type ?? '',
      keys.size,
      translateTimestampSince(secret.metadata?.creationTimestamp, now),
    ];
  },
};

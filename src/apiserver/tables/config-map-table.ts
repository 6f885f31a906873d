// `kubectl get configmaps`: NAME DATA AGE (DATA counts data and binaryData keys).
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { ageColumn, nameColumn, tableColumn } from './table-column.js';

export const configMapTable: TableConvertor = {
  columns: [nameColumn, tableColumn('Data', 'Data contains the configuration data.'), ageColumn],
  cells(obj: KubeObject, now: Date): unknown[] {
    const cm = obj as ConfigMap;
    const count = Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length;
    return [cm.metadata?.name ?? '', count, translateTimestampSince(cm.metadata?.creationTimestamp, now)];
  },
};

// `kubectl get namespaces`: NAME STATUS AGE.
import type { Namespace } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { ageColumn, nameColumn, tableColumn } from './table-column.js';

export const namespaceTable: TableConvertor = {
  columns: [nameColumn, tableColumn('Status', 'The status of the namespace'), ageColumn],
  cells(obj: KubeObject, now: Date): unknown[] {
    const ns = obj as Namespace;
    return [ns.metadata?.name ?? '', ns.status?.phase ?? '', translateTimestampSince(ns.metadata?.creationTimestamp, now)];
  },
};

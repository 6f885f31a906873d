// `kubectl get analysistemplates` / `clusteranalysistemplates`: NAME AGE (Argo's CRDs print only Age).
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { ageColumn, nameColumn } from './table-column.js';

export const analysisTemplateTable: TableConvertor = {
  columns: [nameColumn, ageColumn],
  cells(obj: KubeObject, now: Date): unknown[] {
    return [obj.metadata?.name ?? '', translateTimestampSince(obj.metadata?.creationTimestamp, now)];
  },
};

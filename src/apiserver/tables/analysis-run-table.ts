// `kubectl get analysisruns`: NAME STATUS AGE, Argo's CRD additionalPrinterColumns.
import type { AnalysisRun } from '../../api/rollouts/index.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { ageColumn, nameColumn, tableColumn } from './table-column.js';

export const analysisRunTable: TableConvertor = {
  columns: [nameColumn, tableColumn('Status', 'AnalysisRun status'), ageColumn],
  cells(obj: KubeObject, now: Date): unknown[] {
    const run = obj as Partial<AnalysisRun>;
    return [run.metadata?.name ?? '', run.status?.phase ?? null, translateTimestampSince(run.metadata?.creationTimestamp, now)];
  },
};

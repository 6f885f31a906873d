// `kubectl get jobs`: NAME STATUS COMPLETIONS DURATION AGE | CONTAINERS IMAGES SELECTOR (upstream's
// printJob). STATUS is the first that holds of Complete, Failed, Terminating (being deleted),
// Suspended, FailureTarget, else Running. COMPLETIONS is succeeded/completions, or for a work
// queue (no completions) `n/1`, with ` of <parallelism>` when more than one pod runs at a time.
// DURATION runs from startTime to completionTime, or to now while the Job runs.
import type { Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { humanDuration, parseTimestamp, translateTimestampSince } from './age.js';
import { containerCells } from './container-cells.js';
import { labelSelectorCell } from './label-selector-cell.js';
import { ageColumn, nameColumn, tableColumn, wideColumn } from './table-column.js';

/** Upstream looks at the first condition of the type only. */
function hasCondition(conditions: readonly JobCondition[] | undefined, type: string): boolean {
  return conditions?.find((c) => c.type === type)?.status === 'True';
}

function statusCell(job: Job): string {
  const conditions = job.status?.conditions;
  if (hasCondition(conditions, 'Complete')) return 'Complete';
  if (hasCondition(conditions, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(conditions, 'Suspended')) return 'Suspended';
  if (hasCondition(conditions, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function completionsCell(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const completions = job.spec?.completions;
  if (completions !== undefined) return `${succeeded}/${completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function durationCell(job: Job, now: Date): string {
  const start = parseTimestamp(job.status?.startTime);
  if (start === undefined) return '';
  const end = parseTimestamp(job.status?.completionTime) ?? now.getTime();
  return humanDuration(end - start);
}

export const jobTable: TableConvertor = {
  columns: [
    nameColumn,
    tableColumn('Status', 'Status of the job.'),
    tableColumn('Completions', 'The number of pods which reached phase Succeeded.'),
    tableColumn('Duration', 'Time required to complete the job.'),
    ageColumn,
    wideColumn('Containers', 'Names of each container in the template.'),
    wideColumn('Images', 'Images referenced by each container in the template.'),
    wideColumn('Selector', 'A label query over pods that should match the pod count.'),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const job = obj as Job;
    const { names, images } = containerCells(job.spec?.template?.spec?.containers);
    return [
      job.metadata?.name ?? '',
      statusCell(job),
      completionsCell(job),
      durationCell(job, now),
      translateTimestampSince(job.metadata?.creationTimestamp, now),
      names,
      images,
      labelSelectorCell(job.spec?.selector),
    ];
  },
};

// `kubectl get cronjobs`: NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE | CONTAINERS
// IMAGES SELECTOR (upstream's printCronJob): `<none>` for no time zone and never scheduled,
// SUSPEND as `True`/`False`, ACTIVE the number of running Jobs; the selector is the job
// template's, which is normally unset (`<none>`: the server generates one per Job).
import type { CronJob } from 'kubernetes-types/batch/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { containerCells } from './container-cells.js';
import { labelSelectorCell } from './label-selector-cell.js';
import { ageColumn, nameColumn, tableColumn, wideColumn } from './table-column.js';

/** Upstream's printBoolPtr. */
function boolCell(value: boolean | undefined): string {
  if (value === undefined) return '<unset>';
  return value ? 'True' : 'False';
}

export const cronJobTable: TableConvertor = {
  columns: [
    nameColumn,
    tableColumn('Schedule', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    tableColumn('Timezone', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    tableColumn('Suspend', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.', { type: 'boolean' }),
    tableColumn('Active', 'A list of pointers to currently running jobs.', { type: 'integer' }),
    tableColumn('Last Schedule', 'Information when was the last time the job was successfully scheduled.'),
    ageColumn,
    wideColumn('Containers', 'Names of each container in the template.'),
    wideColumn('Images', 'Images referenced by each container in the template.'),
    wideColumn('Selector', 'A label query over pods that should match the pod count.'),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const cronJob = obj as CronJob;
    const jobSpec = cronJob.spec?.jobTemplate?.spec;
    const { names, images } = containerCells(jobSpec?.template?.spec?.containers);
    const lastSchedule = cronJob.status?.lastScheduleTime;
    return [
      cronJob.metadata?.name ?? '',
      cronJob.spec?.schedule ?? '',
      cronJob.spec?.timeZone ?? '<none>',
      boolCell(cronJob.spec?.suspend),
      cronJob.status?.active?.length ?? 0,
      lastSchedule === undefined ? '<none>' : translateTimestampSince(lastSchedule, now),
      translateTimestampSince(cronJob.metadata?.creationTimestamp, now),
      names,
      images,
      labelSelectorCell(jobSpec?.selector),
    ];
  },
};

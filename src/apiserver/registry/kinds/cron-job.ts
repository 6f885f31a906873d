// batch/v1 CronJob: status subresource (the CronJob controller writes it); generation tracks spec
// changes. Short name `cj`.
import { defaultCronJob } from '../../../api/defaults/cron-job.js';
import { validateCronJob } from '../../../api/validation/cron-job.js';
import { cronJobTable } from '../../tables/cron-job-table.js';
import type { ResourceStrategy } from '../strategy.js';

export const cronJobStrategy: ResourceStrategy = {
  info: {
    group: 'batch',
    version: 'v1',
    kind: 'CronJob',
    listKind: 'CronJobList',
    resource: 'cronjobs',
    singular: 'cronjob',
    namespaced: true,
    shortNames: ['cj'],
    categories: ['all'],
    subresources: { status: true },
    tracksGeneration: true,
  },
  defaults: defaultCronJob,
  validate: validateCronJob,
  table: cronJobTable,
  fieldSelectors: {},
};

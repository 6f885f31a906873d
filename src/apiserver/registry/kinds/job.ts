// batch/v1 Job: status subresource (the Job controller writes it); generation tracks spec changes.
// On create the server generates the Job's selector and pod labels from its new uid
// (../../../api/defaults/job-selector.ts); upstream does that after recording the write's
// managedFields, which is where `admit` runs, so only a create (no `old`) generates.
import { defaultJob } from '../../../api/defaults/job.js';
import { generateJobSelector } from '../../../api/defaults/job-selector.js';
import { validateJob } from '../../../api/validation/job.js';
import { jobTable } from '../../tables/job-table.js';
import type { ResourceStrategy } from '../strategy.js';
import { pathField } from './field-value.js';

export const jobStrategy: ResourceStrategy = {
  info: {
    group: 'batch',
    version: 'v1',
    kind: 'Job',
    listKind: 'JobList',
    resource: 'jobs',
    singular: 'job',
    namespaced: true,
    shortNames: [],
    categories: ['all'],
    subresources: { status: true },
    tracksGeneration: true,
  },
  defaults: defaultJob,
  admit(obj, old) {
    if (old === undefined) generateJobSelector(obj);
  },
  validate: validateJob,
  table: jobTable,
  // Upstream's one Job-specific selectable field: `kubectl get jobs --field-selector status.successful=1`.
  fieldSelectors: { 'status.successful': pathField('status.succeeded', '0') },
  // A delete without a policy leaves the pods (upstream's batch/v1 default).
  defaultPropagationPolicy: 'Orphan',
};

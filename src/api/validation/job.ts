// batch/v1 Job validation (upstream: ValidateJob, ValidateJobUpdate and the status counters of
// ValidateJobUpdateStatus, 1.32). The registry runs one validate for spec and status writes alike;
// on a main-resource write status is the stored one, on a status write spec is.
import { invalid, type FieldError } from '../field-error.js';
import { CONTROLLER_UID_LABEL, JOB_NAME_LABEL } from '../job-labels.js';
import type { KubeObject } from '../object.js';
import { numberOf, recordOf } from './json-access.js';
import { validateGeneratedSelector, validateJobSelector } from './job-selector.js';
import { validateJobSpecFields } from './job-spec.js';
import { validateJobSpecUpdate } from './job-update.js';
import { isDns1123Label } from './name-rules.js';
import { validateObjectMeta } from './object-meta.js';
import { validateNonNegative } from './probe.js';

const STATUS_COUNTERS = ['active', 'succeeded', 'failed', 'ready', 'terminating'];

export function validateJob(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, { namespaced: true, nameRule: 'dns1123Subdomain' }, old?.metadata);
  const spec = recordOf(obj.spec) ?? {};
  errs.push(...validateGeneratedSelector(obj, old === undefined || hasPrefixedLabels(old)));
  errs.push(...validateJobSpecFields(spec, 'spec'));
  errs.push(...validateJobSelector(spec));
  errs.push(...validateIndexedPodHostnames(obj));
  if (old !== undefined) errs.push(...validateJobSpecUpdate(obj, old));
  const status = recordOf(obj.status) ?? {};
  for (const counter of STATUS_COUNTERS) errs.push(...validateNonNegative(status[counter], `status.${counter}`));
  return errs;
}

/** Jobs created before 1.27 lack the prefixed labels; requiring them would make them read-only. */
function hasPrefixedLabels(old: KubeObject): boolean {
  const labels = recordOf(recordOf(recordOf(recordOf(old.spec)?.template)?.metadata)?.labels) ?? {};
  return Object.hasOwn(labels, JOB_NAME_LABEL) && Object.hasOwn(labels, CONTROLLER_UID_LABEL);
}

/** An Indexed Job's pods are named `<job>-<index>` as hostnames, so the last must be a DNS label. */
function validateIndexedPodHostnames(obj: KubeObject): FieldError[] {
  const spec = recordOf(obj.spec) ?? {};
  const completions = numberOf(spec.completions);
  if (spec.completionMode !== 'Indexed' || completions === undefined || completions <= 0) return [];
  const name = obj.metadata?.name ?? '';
  const hostname = `${name}-${completions - 1}`;
  return isDns1123Label(hostname).length === 0
    ? []
    : [invalid('metadata.name', name, `will not able to create pod with invalid DNS label: ${hostname}`)];
}

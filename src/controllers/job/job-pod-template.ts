// A new pod for a Job (upstream: manageJob's template handling + controller.GetPodFromTemplate).
// Every pod gets the template's labels, annotations, finalizers and spec, the tracking finalizer,
// a controller reference to the Job (blockOwnerDeletion, so a foreground delete of the Job waits
// for it) and `generateName: <job>-`. A pod of an Indexed Job additionally gets:
//   - its index as annotation and label `batch.kubernetes.io/job-completion-index`;
//   - env JOB_COMPLETION_INDEX in every container and init container, read from that label
//     through a fieldRef (unless the container already defines the variable);
//   - hostname `<job>-<index>` (with the template's subdomain that gives each pod a stable DNS
//     name under a headless Service) and `generateName: <job>-<index>-`;
//   - with backoffLimitPerIndex, its index's failure counts so far.
// Example: Job "work", index 2 -> generateName "work-2-", hostname "work-2", label/annotation "2".
import type { Container, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { newControllerRef } from '../framework/controller-ref.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import {
  COMPLETION_INDEX_ENV, JOB_COMPLETION_INDEX, JOB_INDEX_FAILURE_COUNT, JOB_INDEX_IGNORED_FAILURE_COUNT, JOB_TYPE, type JobObject,
} from './job-types.js';
import { withTrackingFinalizer } from './tracking-finalizer.js';

/** Upstream's names.MaxGeneratedNameLength: 63 minus the 5 random characters. */
const MAX_GENERATE_NAME_LENGTH = 58;

export interface IndexAssignment {
  readonly index: number;
  /** With backoffLimitPerIndex: failures of this index so far, counted and ignored. */
  readonly failureCounts?: { readonly failed: number; readonly ignored: number };
}

export function podForJob(job: JobObject, assignment?: IndexAssignment): Pod {
  const jobName = job.metadata?.name ?? '';
  const template: PodTemplateSpec = structuredClone(job.spec?.template ?? {});
  const meta = template.metadata ?? {};
  const spec = template.spec ?? { containers: [] };
  const labels: Record<string, string> = { ...(meta.labels ?? {}) };
  const annotations: Record<string, string> = { ...(meta.annotations ?? {}) };
  let generateName = `${jobName}-`;
  if (assignment !== undefined) {
    const index = String(assignment.index);
    annotations[JOB_COMPLETION_INDEX] = index;
    labels[JOB_COMPLETION_INDEX] = index;
    spec.hostname = `${jobName}-${index}`;
    generateName = generateNameWithIndex(jobName, assignment.index);
    spec.containers = spec.containers.map(withCompletionIndexEnv);
    if (spec.initContainers !== undefined) spec.initContainers = spec.initContainers.map(withCompletionIndexEnv);
    if (assignment.failureCounts !== undefined) {
      annotations[JOB_INDEX_FAILURE_COUNT] = String(assignment.failureCounts.failed);
      if (assignment.failureCounts.ignored > 0) annotations[JOB_INDEX_IGNORED_FAILURE_COUNT] = String(assignment.failureCounts.ignored);
    }
  }
  const metadata: NonNullable<Pod['metadata']> = {
    generateName,
    labels,
    finalizers: withTrackingFinalizer(meta.finalizers),
    ownerReferences: [newControllerRef(job, JOB_TYPE)],
  };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  if (job.metadata?.namespace !== undefined) metadata.namespace = job.metadata.namespace;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

/** `<job>-<index>-`, the Job's name cut so the whole fits 58 characters. */
function generateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = `${jobName}${suffix}`;
  return prefix.length > MAX_GENERATE_NAME_LENGTH ? `${prefix.slice(0, MAX_GENERATE_NAME_LENGTH - suffix.length)}${suffix}` : prefix;
}

function withCompletionIndexEnv(container: Container): Container {
  if ((container.env ?? []).some((v) => v.name === COMPLETION_INDEX_ENV)) return container;
  const fromLabel = { name: COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${JOB_COMPLETION_INDEX}']` } } };
  return { ...container, env: [...(container.env ?? []), fromLabel] };
}

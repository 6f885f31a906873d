// k8s.io.api.batch.v1 Job and CronJob (what `kubectl create job` and `kubectl create cronjob` send,
// and `kubectl create job --from=cronjob/...`). Field numbers are from upstream's
// batch/v1/generated.proto (release-1.32). Nearly every JobSpec field is a Go pointer, so its zero
// (`suspend: false`, `backoffLimit: 0`) is kept; the status counters are plain omitempty ints.
import { KEEP, bool, int32, int64, list, message, string, strings, sub, time, type MessageDescriptor } from './message-descriptor.js';
import { objectReference } from './core-v1.js';
import { podTemplateSpec } from './core-v1-pod.js';
import { labelSelector, objectMeta } from './meta-v1.js';

const P = 'k8s.io.api.batch.v1';

const onExitCodesRequirement = message(`${P}.PodFailurePolicyOnExitCodesRequirement`, {
  1: string('containerName', KEEP),
  2: string('operator', KEEP),
  3: int32('values', { repeated: true }),
});

const onPodConditionsPattern = message(`${P}.PodFailurePolicyOnPodConditionsPattern`, {
  1: string('type', KEEP),
  2: string('status', KEEP),
});

const podFailurePolicyRule = message(`${P}.PodFailurePolicyRule`, {
  1: string('action', KEEP),
  2: sub('onExitCodes', () => onExitCodesRequirement),
  3: list('onPodConditions', () => onPodConditionsPattern),
});

const podFailurePolicy = message(`${P}.PodFailurePolicy`, {
  1: list('rules', () => podFailurePolicyRule),
});

const successPolicyRule = message(`${P}.SuccessPolicyRule`, {
  1: string('succeededIndexes', KEEP),
  2: int32('succeededCount', KEEP),
});

const successPolicy = message(`${P}.SuccessPolicy`, {
  1: list('rules', () => successPolicyRule),
});

const jobSpec = message(`${P}.JobSpec`, {
  1: int32('parallelism', KEEP),
  2: int32('completions', KEEP),
  3: int64('activeDeadlineSeconds', KEEP),
  11: sub('podFailurePolicy', () => podFailurePolicy),
  16: sub('successPolicy', () => successPolicy),
  7: int32('backoffLimit', KEEP),
  12: int32('backoffLimitPerIndex', KEEP),
  13: int32('maxFailedIndexes', KEEP),
  4: sub('selector', () => labelSelector),
  5: bool('manualSelector', KEEP),
  6: sub('template', () => podTemplateSpec),
  8: int32('ttlSecondsAfterFinished', KEEP),
  9: string('completionMode', KEEP),
  10: bool('suspend', KEEP),
  14: string('podReplacementPolicy', KEEP),
  15: string('managedBy', KEEP),
});

const jobCondition = message(`${P}.JobCondition`, {
  1: string('type', KEEP),
  2: string('status', KEEP),
  3: time('lastProbeTime'),
  4: time('lastTransitionTime'),
  5: string('reason'),
  6: string('message'),
});

const uncountedTerminatedPods = message(`${P}.UncountedTerminatedPods`, {
  1: strings('succeeded'),
  2: strings('failed'),
});

const jobStatus = message(`${P}.JobStatus`, {
  1: list('conditions', () => jobCondition),
  2: time('startTime'),
  3: time('completionTime'),
  4: int32('active'),
  5: int32('succeeded'),
  6: int32('failed'),
  11: int32('terminating', KEEP),
  7: string('completedIndexes'),
  10: string('failedIndexes', KEEP),
  8: sub('uncountedTerminatedPods', () => uncountedTerminatedPods),
  9: int32('ready', KEEP),
});

export const job: MessageDescriptor = message(`${P}.Job`, {
  1: sub('metadata', () => objectMeta),
  2: sub('spec', () => jobSpec),
  3: sub('status', () => jobStatus),
});

const jobTemplateSpec = message(`${P}.JobTemplateSpec`, {
  1: sub('metadata', () => objectMeta),
  2: sub('spec', () => jobSpec),
});

const cronJobSpec = message(`${P}.CronJobSpec`, {
  1: string('schedule', KEEP),
  8: string('timeZone', KEEP),
  2: int64('startingDeadlineSeconds', KEEP),
  3: string('concurrencyPolicy'),
  4: bool('suspend', KEEP),
  5: sub('jobTemplate', () => jobTemplateSpec),
  6: int32('successfulJobsHistoryLimit', KEEP),
  7: int32('failedJobsHistoryLimit', KEEP),
});

const cronJobStatus = message(`${P}.CronJobStatus`, {
  1: list('active', () => objectReference),
  4: time('lastScheduleTime'),
  5: time('lastSuccessfulTime'),
});

export const cronJob: MessageDescriptor = message(`${P}.CronJob`, {
  1: sub('metadata', () => objectMeta),
  2: sub('spec', () => cronJobSpec),
  3: sub('status', () => cronJobStatus),
});

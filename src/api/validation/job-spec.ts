// What a Job's spec and a CronJob's `jobTemplate.spec` must both satisfy (upstream: validateJobSpec
// in pkg/apis/batch/validation): counts and deadlines that are not negative, a known completion
// mode with the limits of Indexed Jobs, per-index backoff only for Indexed Jobs, a known pod
// replacement policy, the owning controller's name, and a pod template whose pods run to
// completion (restartPolicy OnFailure or Never, Never under a pod failure policy).
// The selector is not here: a Job's is checked in job-selector.ts, a job template may have none.
import { invalid, notSupported, required, tooLong, type FieldError } from '../field-error.js';
import { isRecord, numberOf, recordOf, stringOf, type JsonRecord } from './json-access.js';
import { isDns1123Subdomain, regexError } from './name-rules.js';
import { validatePodTemplateSpec } from './pod-spec.js';
import { validateNonNegative } from './probe.js';

const NON_NEGATIVE_FIELDS = [
  'parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes',
];
const COMPLETION_MODES = ['NonIndexed', 'Indexed'];
/** Sorted, as upstream lists a set. */
const POD_REPLACEMENT_POLICIES = ['Failed', 'TerminatingOrFailed'];

/** Caps that keep an Indexed Job's status.completedIndexes / failedIndexes strings bounded. */
const MAX_INDEXED_PARALLELISM = 100_000;
const MAX_FAILED_INDEXES = 100_000;
const COMPLETIONS_SOFT_LIMIT = 100_000;
const HIGH_COMPLETIONS_LIMIT = 10_000;
const MAX_MANAGED_BY_LENGTH = 63;

const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const HTTP_PATH_RE = new RegExp(`^${HTTP_PATH_FMT}$`);

const isSet = (value: unknown): boolean => value !== undefined && value !== null;

export function validateJobSpecFields(spec: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const field of NON_NEGATIVE_FIELDS) errs.push(...validateNonNegative(spec[field], `${path}.${field}`));
  if (isSet(spec.maxFailedIndexes) && !isSet(spec.backoffLimitPerIndex))
    errs.push(required(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  if (isSet(spec.managedBy)) errs.push(...validateManagedBy(stringOf(spec.managedBy), `${path}.managedBy`));
  errs.push(...validateCompletionMode(spec, path));
  const nonIndexed = !isSet(spec.completionMode) || spec.completionMode === 'NonIndexed';
  for (const field of ['backoffLimitPerIndex', 'maxFailedIndexes'])
    if (nonIndexed && isSet(spec[field])) errs.push(invalid(`${path}.${field}`, spec[field], 'requires indexed completion mode'));
  if (isSet(spec.successPolicy) && spec.completionMode !== 'Indexed')
    errs.push(invalid(`${path}.successPolicy`, spec.successPolicy, 'requires indexed completion mode'));
  errs.push(...validatePodReplacementPolicy(spec, `${path}.podReplacementPolicy`));
  errs.push(...validatePodTemplateSpec(spec.template, `${path}.template`));
  errs.push(...validateRestartPolicy(spec, `${path}.template.spec.restartPolicy`));
  return errs;
}

function validateCompletionMode(spec: JsonRecord, path: string): FieldError[] {
  if (!isSet(spec.completionMode)) return [];
  if (!COMPLETION_MODES.includes(stringOf(spec.completionMode))) return [notSupported(`${path}.completionMode`, spec.completionMode, COMPLETION_MODES)];
  return spec.completionMode === 'Indexed' ? validateIndexedLimits(spec, path) : [];
}

function validateIndexedLimits(spec: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const completions = numberOf(spec.completions);
  const parallelism = numberOf(spec.parallelism);
  const maxFailed = numberOf(spec.maxFailedIndexes);
  if (!isSet(spec.completions)) errs.push(required(`${path}.completions`, 'when completion mode is Indexed'));
  if (parallelism !== undefined && parallelism > MAX_INDEXED_PARALLELISM)
    errs.push(invalid(`${path}.parallelism`, parallelism, `must be less than or equal to ${MAX_INDEXED_PARALLELISM} when completion mode is Indexed`));
  if (completions !== undefined && maxFailed !== undefined && maxFailed > completions)
    errs.push(invalid(`${path}.maxFailedIndexes`, maxFailed, 'must be less than or equal to completions'));
  if (maxFailed !== undefined && maxFailed > MAX_FAILED_INDEXES)
    errs.push(invalid(`${path}.maxFailedIndexes`, maxFailed, `must be less than or equal to ${MAX_FAILED_INDEXES}`));
  if (completions !== undefined && completions > COMPLETIONS_SOFT_LIMIT && isSet(spec.backoffLimitPerIndex)) {
    const withPerIndexLimit = `when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`;
    if (maxFailed === undefined) errs.push(required(`${path}.maxFailedIndexes`, `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`));
    if (parallelism !== undefined && parallelism > HIGH_COMPLETIONS_LIMIT)
      errs.push(invalid(`${path}.parallelism`, parallelism, `must be less than or equal to ${HIGH_COMPLETIONS_LIMIT} ${withPerIndexLimit}`));
    if (maxFailed !== undefined && maxFailed > HIGH_COMPLETIONS_LIMIT)
      errs.push(invalid(`${path}.maxFailedIndexes`, maxFailed, `must be less than or equal to ${HIGH_COMPLETIONS_LIMIT} ${withPerIndexLimit}`));
  }
  return errs;
}

/** A pod failure policy judges failed pods, so only Failed ones may be replaced under it. */
function validatePodReplacementPolicy(spec: JsonRecord, path: string): FieldError[] {
  if (!isSet(spec.podReplacementPolicy)) return [];
  const policy = stringOf(spec.podReplacementPolicy);
  if (isRecord(spec.podFailurePolicy)) return policy === 'Failed' ? [] : [notSupported(path, spec.podReplacementPolicy, ['Failed'])];
  return POD_REPLACEMENT_POLICIES.includes(policy) ? [] : [notSupported(path, spec.podReplacementPolicy, POD_REPLACEMENT_POLICIES)];
}

/** Defaulting makes an unset restartPolicy Always, so both mean "not chosen" to upstream. */
function validateRestartPolicy(spec: JsonRecord, path: string): FieldError[] {
  const policy = stringOf(recordOf(recordOf(spec.template)?.spec)?.restartPolicy);
  if (policy === 'Always' || policy === '') return [required(path, 'valid values: "OnFailure", "Never"')];
  if (policy !== 'OnFailure' && policy !== 'Never') return [notSupported(path, policy, ['OnFailure', 'Never'])];
  if (isRecord(spec.podFailurePolicy) && policy !== 'Never')
    return [invalid(path, policy, 'only "Never" is supported when podFailurePolicy is specified')];
  return [];
}

/** Upstream's IsDomainPrefixedPath (`kubernetes.io/job-controller`) plus a length cap. */
function validateManagedBy(value: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const slash = value.indexOf('/');
  const host = slash < 0 ? '' : value.slice(0, slash);
  const rest = slash < 0 ? '' : value.slice(slash + 1);
  if (value === '') errs.push(required(path));
  else if (host === '' || rest === '') errs.push(invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")'));
  else {
    for (const msg of isDns1123Subdomain(host)) errs.push(invalid(path, host, msg));
    if (!HTTP_PATH_RE.test(rest)) errs.push(invalid(path, rest, regexError('Invalid path', HTTP_PATH_FMT)));
  }
  if (value.length > MAX_MANAGED_BY_LENGTH) errs.push(tooLong(path, MAX_MANAGED_BY_LENGTH));
  return errs;
}

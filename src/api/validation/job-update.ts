// What may change in a Job's spec after creation (upstream: ValidateJobSpecUpdate, 1.32). Most of
// it is fixed: selector, completion mode, failure and success policies, per-index backoff, the
// managing controller, and the pod template. Two exceptions:
//   - an Indexed Job scales elastically: completions may change together with parallelism
//     (completions 4 -> 6 is fine only when parallelism becomes 6 as well);
//   - a Job that is suspended and has never started may still have its pods' scheduling
//     directives changed (node affinity, node selector, tolerations, scheduling gates, template
//     labels and annotations), so a queueing controller can place it before resuming it.
import { invalid, type FieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { validateImmutableSelector } from './deployment.js';
import { isRecord, jsonEqual, numberOf, recordOf, type JsonRecord } from './json-access.js';
import { FIELD_IMMUTABLE } from './object-meta.js';

const IMMUTABLE_FIELDS = ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy'];

export function validateJobSpecUpdate(job: KubeObject, old: KubeObject): FieldError[] {
  const spec = recordOf(job.spec) ?? {};
  const oldSpec = recordOf(old.spec) ?? {};
  const errs = validateCompletionsUpdate(spec, oldSpec);
  errs.push(...validateImmutableSelector(job, old));
  errs.push(...validateTemplateUpdate(spec, oldSpec, suspendedAndNeverStarted(old)));
  for (const field of IMMUTABLE_FIELDS) errs.push(...immutable(`spec.${field}`, spec[field], oldSpec[field]));
  return errs;
}

function immutable(path: string, now: unknown, before: unknown): FieldError[] {
  return jsonEqual(now ?? null, before ?? null) ? [] : [invalid(path, now ?? null, FIELD_IMMUTABLE)];
}

function validateCompletionsUpdate(spec: JsonRecord, oldSpec: JsonRecord): FieldError[] {
  if (spec.completionMode !== 'Indexed') return immutable('spec.completions', spec.completions, oldSpec.completions);
  const completions = numberOf(spec.completions);
  // An Indexed Job without completions is reported by the spec's own validation.
  if (jsonEqual(spec.completions ?? null, oldSpec.completions ?? null) || completions === undefined) return [];
  return completions === numberOf(spec.parallelism) ? [] : [invalid('spec.completions', completions, 'can only be modified in tandem with spec.parallelism')];
}

/** Suspended and never started: no pod has been created from the template yet. */
function suspendedAndNeverStarted(old: KubeObject): boolean {
  const oldSpec = recordOf(old.spec) ?? {};
  return oldSpec.suspend === true && recordOf(old.status)?.startTime === undefined;
}

function validateTemplateUpdate(spec: JsonRecord, oldSpec: JsonRecord, schedulingMutable: boolean): FieldError[] {
  const template = recordOf(spec.template) ?? {};
  const before = schedulingMutable ? withSchedulingDirectivesOf(recordOf(oldSpec.template) ?? {}, template) : oldSpec.template;
  return jsonEqual(template, before ?? {}) ? [] : [invalid('spec.template', template, FIELD_IMMUTABLE)];
}

/** `old` with the scheduling directives of `next`, i.e. what `next` may be without a change. */
function withSchedulingDirectivesOf(old: JsonRecord, next: JsonRecord): JsonRecord {
  const merged = structuredClone(old);
  const meta = { ...(recordOf(merged.metadata) ?? {}) };
  const nextMeta = recordOf(next.metadata) ?? {};
  for (const key of ['labels', 'annotations']) meta[key] = nextMeta[key];
  merged.metadata = meta;
  const podSpec = { ...(recordOf(merged.spec) ?? {}) };
  const nextPodSpec = recordOf(next.spec) ?? {};
  for (const key of ['nodeSelector', 'tolerations', 'schedulingGates']) podSpec[key] = nextPodSpec[key];
  podSpec.affinity = withNodeAffinityOf(recordOf(podSpec.affinity), recordOf(nextPodSpec.affinity));
  merged.spec = podSpec;
  return merged;
}

/**
 * Only node affinity may change: the old affinity with the new nodeAffinity. Clearing the whole
 * affinity is fine when node affinity was all it held.
 */
function withNodeAffinityOf(old: JsonRecord | undefined, next: JsonRecord | undefined): JsonRecord | undefined {
  const rest = old === undefined ? undefined : omitNodeAffinity(old);
  if (next === undefined) return rest === undefined || Object.keys(rest).length === 0 ? undefined : rest;
  return isRecord(next.nodeAffinity) ? { ...rest, nodeAffinity: next.nodeAffinity } : { ...rest };
}

function omitNodeAffinity(affinity: JsonRecord): JsonRecord {
  const { nodeAffinity: _dropped, ...rest } = affinity;
  return rest;
}

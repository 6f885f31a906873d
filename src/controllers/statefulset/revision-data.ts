// What a StatefulSet's ControllerRevision holds (upstream: getPatch / ApplyRevision), and how a
// set is seen "at" a revision.
//
// The data is a strategic merge patch that puts the template back:
//   {"spec":{"template":{"$patch":"replace","metadata":{...},"spec":{...}}}}
// `kubectl rollout undo sts/web` sends exactly these bytes as a strategic merge patch, and first
// compares them with the same patch computed from the live set to say "already matches". Upstream
// builds the patch by unmarshalling into a Go map and marshalling again, so every object's keys come
// out sorted; the data is stored with sorted keys for the same bytes to come back from the server.
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { isRecord, recordOf } from '../../api/validation/json-access.js';
import { goEncodedTemplate } from './go-encoded-template.js';
import type { StatefulSetObject } from './stateful-set-spec.js';

/** The strategic-merge directive that makes a patch replace a map instead of merging into it. */
const PATCH_DIRECTIVE = '$patch';

/** A deep copy with object keys in sorted order (what Go's map marshalling writes). */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (value[key] !== undefined) out[key] = sortedKeys(value[key]);
  }
  return out;
}

/** The revision data for `set`'s current template. */
export function statefulSetPatch(set: StatefulSetObject): object {
  const template = { ...goEncodedTemplate(set.spec?.template), [PATCH_DIRECTIVE]: 'replace' };
  return sortedKeys({ spec: { template } }) as object;
}

/**
 * The pod template `revision` restores. Applying the patch replaces spec.template wholesale and
 * leaves every other field of the set alone, so the template is all a revision changes; the
 * directive itself is not part of the result. Data without a template (not written by a
 * StatefulSet controller) patches nothing: the set's own template is the answer then.
 */
export function templateOfRevision(revision: ControllerRevision, set: StatefulSetObject): PodTemplateSpec {
  const template = recordOf(recordOf(recordOf(revision.data)?.spec)?.template);
  if (template === undefined) return structuredClone(set.spec?.template ?? {});
  const restored: Record<string, unknown> = structuredClone(template);
  delete restored[PATCH_DIRECTIVE];
  return restored;
}

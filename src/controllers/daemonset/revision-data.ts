// What a DaemonSet's ControllerRevision records (upstream: getPatch / Match): a strategic merge
// patch that puts the template back, `{"spec":{"template":{...,"$patch":"replace"}}}`.
// `kubectl rollout undo ds/x` sends a revision's data as the patch, and `kubectl rollout history
// ds/x --revision=N` applies it to show that revision's template, so this shape is the contract.
import { recordOf, type JsonRecord } from '../../api/validation/json-access.js';
import { goJson } from '../framework/controller-history-hash.js';
import type { DaemonSetObject } from './daemon-set-types.js';

export interface TemplatePatch {
  readonly spec: { readonly template: JsonRecord };
}

/** The patch that restores `ds`'s current template. */
export function templatePatch(ds: DaemonSetObject): TemplatePatch {
  const template = structuredClone(ds.spec?.template ?? {}) as JsonRecord;
  return { spec: { template: { ...template, $patch: 'replace' } } };
}

/**
 * The data as compared: Go writes an unset template creationTimestamp as null (upstream's
 * revisions carry `"creationTimestamp":null`); unset and null are the same template.
 */
function comparable(data: unknown): string {
  const copy: unknown = structuredClone(data ?? null);
  const metadata = recordOf(recordOf(recordOf(recordOf(copy)?.spec)?.template)?.metadata);
  if (metadata !== undefined && metadata.creationTimestamp === null) delete metadata.creationTimestamp;
  return goJson(copy);
}

/** Whether `revisionData` restores exactly `ds`'s current template (key order aside). */
export function matchesRevisionData(ds: DaemonSetObject, revisionData: unknown): boolean {
  return comparable(templatePatch(ds)) === comparable(revisionData);
}

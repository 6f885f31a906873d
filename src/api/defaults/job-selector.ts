// The selector the API server generates for a Job on create (upstream: the job strategy's
// generateSelector), unless `spec.manualSelector` is true: the pod template gets the job-name and
// controller-uid labels (prefixed and legacy), and the selector matches the new uid, which no
// other Job's pods can carry. Labels the user already set are left alone, so a conflicting one
// fails validation instead of being overwritten.
//
// It needs the uid the registry has just assigned, and upstream runs it after the write's
// managedFields are recorded, so no field manager owns the generated selector and labels: the
// registry calls it as the kind's create-time admission.
import {
  CONTROLLER_UID_LABEL, JOB_NAME_LABEL, LEGACY_CONTROLLER_UID_LABEL, LEGACY_JOB_NAME_LABEL,
} from '../job-labels.js';
import type { KubeObject } from '../object.js';
import { ensureRecord, jsonEqual, recordOf, type JsonRecord } from '../validation/json-access.js';

export function generateJobSelector(obj: KubeObject): void {
  const spec = ensureRecord(obj, 'spec');
  if (spec.manualSelector === true) return;
  const name = obj.metadata?.name ?? '';
  const uid = obj.metadata?.uid ?? '';
  const labels = ensureRecord(ensureRecord(ensureRecord(spec, 'template'), 'metadata'), 'labels');
  const labelsBefore = { ...labels };
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) if (!Object.hasOwn(labels, key)) labels[key] = name;
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) if (!Object.hasOwn(labels, key)) labels[key] = uid;
  const matchLabels = ensureRecord(ensureRecord(spec, 'selector'), 'matchLabels');
  if (!Object.hasOwn(matchLabels, CONTROLLER_UID_LABEL)) matchLabels[CONTROLLER_UID_LABEL] = uid;
  keepJobLabeledLikeItsPods(obj, labelsBefore, labels);
}

/**
 * Upstream's defaulting gives a Job without labels its template's label map itself (one Go map),
 * so the generated labels land on the Job too; a Job that had none at all gets them when it is
 * next read. Either way a Job whose labels were (defaulted to) its template's shows all of them.
 */
function keepJobLabeledLikeItsPods(obj: KubeObject, templateLabelsBefore: JsonRecord, templateLabels: JsonRecord): void {
  const metadata = ensureRecord(obj, 'metadata');
  const jobLabels = recordOf(metadata.labels);
  const shared = jobLabels === undefined || Object.keys(jobLabels).length === 0 || jsonEqual(jobLabels, templateLabelsBefore);
  if (shared) metadata.labels = { ...templateLabels };
}

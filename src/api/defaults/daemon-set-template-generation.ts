// A DaemonSet's template generation: upstream's internal DaemonSet counts pod template changes in
// spec.templateGeneration, which apps/v1 has no field for and carries as the annotation
// `deprecated.daemonset.template.generation`. The server owns it: 1 on create (or the number a
// client restoring a DaemonSet gave), the stored value on every update, one more whenever the pod
// template changes. (DaemonSet pods of old controllers carry it as `pod-template-generation`.)
//
// It compares the defaulted templates, so the registry calls it as the kind's admission, after
// defaulting; status writes keep the template and so the number.
import type { KubeObject } from '../object.js';
import { ensureRecord, jsonEqual, recordOf } from '../validation/json-access.js';

export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

export function stampTemplateGeneration(obj: KubeObject, old?: KubeObject): void {
  const annotations = ensureRecord(ensureRecord(obj, 'metadata'), 'annotations');
  if (old === undefined) {
    const given = templateGenerationOf(obj) ?? 0;
    annotations[TEMPLATE_GENERATION_ANNOTATION] = String(Math.max(given, 1));
    return;
  }
  const before = templateGenerationOf(old) ?? 0;
  const templateChanged = !jsonEqual(templateOf(obj), templateOf(old));
  annotations[TEMPLATE_GENERATION_ANNOTATION] = String(templateChanged ? before + 1 : before);
}

/** The annotation as upstream parses it (a base-10 int64), undefined when absent or unparsable. */
export function templateGenerationOf(obj: KubeObject): number | undefined {
  const value = obj.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  return value !== undefined && /^[+-]?\d{1,18}$/.test(value) ? Number(value) : undefined;
}

function templateOf(obj: KubeObject): unknown {
  return recordOf(obj['spec'])?.template;
}

// A pod template as Go's typed encoding writes it. Upstream never hashes or compares the JSON it
// stored: it decodes the StatefulSet into Go structs and encodes it again. kubectl does the same
// round trip before comparing a revision's bytes with the live set (`rollout undo`: "current
// template already matches revision N"), so the revision data must come out of the same mould.
//
// What the round trip changes, as facts about the core/v1 Go types:
// - It writes struct-typed fields even when empty (`omitempty` does not apply to structs) and
//   pointer fields that lack `omitempty`:
//     template.metadata.creationTimestamp   metav1.Time           -> null
//     <container>.resources                 struct                -> {}   (containers, init, ephemeral)
//     <any>.resourceFieldRef.divisor        resource.Quantity     -> "0"
//     <probe>.grpc.service                  *string, no omitempty -> null
// - It drops what an `omitempty` field holds when empty: empty maps (labels, nodeSelector, ...)
//   and empty lists, except the few lists declared without `omitempty`; and null values.
//   (Every other object in a pod template is a struct or a pointer to one: `emptyDir: {}` stays.)
// - Not modelled: `omitempty` scalars at their zero value (`hostNetwork: false`, `readOnly:
//   false`, `value: ""`) are dropped by Go but kept here: telling them from pointer fields, which
//   keep `false` and `0`, needs the whole type table. The API server, not the controller, is the
//   place to store objects as Go would write them.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { isRecord, recordOf, recordsOf, type JsonRecord } from '../../api/validation/json-access.js';

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/** The map-typed fields of a pod template (map[string]string, ResourceList): dropped when empty. */
const MAP_FIELDS: ReadonlySet<string> = new Set([
  'labels', 'annotations', 'nodeSelector', 'matchLabels', 'overhead', 'limits', 'requests', 'volumeAttributes',
]);
/** Lists declared without `omitempty`: written even when empty. */
const ALWAYS_WRITTEN_LISTS: ReadonlySet<string> = new Set(['containers', 'sources', 'nodeSelectorTerms']);

/** Removes nulls, empty omitempty lists and empty maps below `value`, in place. */
function dropEmpty(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) dropEmpty(item);
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, item] of Object.entries(value)) {
    dropEmpty(item);
    const emptyList = Array.isArray(item) && item.length === 0 && !ALWAYS_WRITTEN_LISTS.has(key);
    const emptyMap = MAP_FIELDS.has(key) && isRecord(item) && Object.keys(item).length === 0;
    if (item === null || emptyList || emptyMap) delete value[key];
  }
}

function addIfMissing(record: JsonRecord | undefined, key: string, value: unknown): void {
  if (record !== undefined && !(key in record)) record[key] = value;
}

/** Every `resourceFieldRef` below `value`, wherever it is (env, downwardAPI, projected). */
function addDivisors(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) addDivisors(item);
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, item] of Object.entries(value)) {
    if (key === 'resourceFieldRef') addIfMissing(recordOf(item), 'divisor', '0');
    else addDivisors(item);
  }
}

function ensureObject(parent: JsonRecord, key: string): JsonRecord {
  const existing = parent[key];
  if (isRecord(existing)) return existing;
  const created: JsonRecord = {};
  parent[key] = created;
  return created;
}

/** A deep copy of `template` as Go's encoding of a PodTemplateSpec writes it. */
export function goEncodedTemplate(template: PodTemplateSpec | undefined): JsonRecord {
  const copy = structuredClone(template ?? {}) as JsonRecord;
  dropEmpty(copy);
  addIfMissing(ensureObject(copy, 'metadata'), 'creationTimestamp', null);
  const spec = ensureObject(copy, 'spec');
  for (const list of CONTAINER_LISTS) {
    for (const container of recordsOf(spec[list])) {
      addIfMissing(container, 'resources', {});
      for (const probe of PROBES) addIfMissing(recordOf(recordOf(container[probe])?.grpc), 'service', null);
    }
  }
  addDivisors(spec);
  return copy;
}

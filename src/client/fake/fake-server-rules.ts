// What the fake does to objects the way a real API server would, apart from storing them: names
// from generateName, RFC 3339 timestamps, generation bumps on spec changes, selector matching,
// and the merge of a write with the stored object (server-owned fields kept, status only through
// status). FakeResourceClient applies these; they hold no state.
import type { KubeObject, ObjectMeta } from '../../api/object.js';
import { apiVersionOf } from '../../api/object.js';
import { matchesFields, parseFieldSelector } from '../../api/selectors/field-selector.js';
import { matchesLabels, parseLabelSelector } from '../../api/selectors/label-selector.js';
import { BadRequestError } from '../../lib/errors.js';
import type { ResourceType } from '../resource-client.js';

export type MutableMeta = { -readonly [K in keyof ObjectMeta]: ObjectMeta[K] };

/** Upstream's generateName alphabet: no vowels, no digits that look like letters. */
const GENERATE_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** The 5 random characters generateName appends. */
export function randomNameSuffix(): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += GENERATE_NAME_ALPHABET.charAt(Math.floor(Math.random() * GENERATE_NAME_ALPHABET.length));
  return suffix;
}

/** Kinds whose metadata.generation the fake maintains (bumped on spec change), as upstream does. */
export function tracksGeneration(type: ResourceType): boolean {
  return type.group === 'apps' || type.group === 'batch';
}

/** `2025-01-01T00:00:00Z`: upstream's RFC 3339 without fractions. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A dotted field path as a string (`spec.nodeName`, `status.phase`), for field selectors. */
function fieldValue(object: KubeObject, path: string): string | undefined {
  let node: unknown = object;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  return undefined;
}

/** A list's filter: the namespace (undefined: all), a label selector and a field selector. */
export function objectMatcher(namespace: string | undefined, labelSelector?: string, fieldSelector?: string): (object: KubeObject) => boolean {
  const labels = parseLabelSelector(labelSelector ?? '');
  const fields = parseFieldSelector(fieldSelector ?? '');
  return (object) =>
    (namespace === undefined || object.metadata?.namespace === namespace) &&
    matchesLabels(labels, object.metadata?.labels) &&
    matchesFields(fields, (path) => fieldValue(object, path));
}

/**
 * The new state after a write to the main resource or to status: the fields the server owns
 * (identity, timestamps, generation) come from `previous`; status changes only through status.
 * The caller has checked the resourceVersion.
 */
export function mergedWrite(type: ResourceType, previous: KubeObject, incoming: KubeObject, status: boolean): KubeObject {
  const name = previous.metadata?.name ?? '';
  if (incoming.metadata?.name && incoming.metadata.name !== name) throw new BadRequestError('the name of the object does not match the name on the URL');
  let next: KubeObject;
  if (status) {
    next = structuredClone(previous);
    if (incoming.status === undefined) delete next.status;
    else next.status = structuredClone(incoming.status);
  } else {
    next = structuredClone(incoming);
    if (previous.status === undefined) delete next.status;
    else next.status = structuredClone(previous.status);
    const metadata: MutableMeta = { ...(next.metadata ?? {}) };
    const old = previous.metadata ?? {};
    for (const field of ['name', 'namespace', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const) {
      if (old[field] === undefined) delete metadata[field];
      else (metadata as Record<string, unknown>)[field] = old[field];
    }
    if (tracksGeneration(type) && JSON.stringify(next.spec) !== JSON.stringify(previous.spec)) {
      metadata.generation = (old.generation ?? 0) + 1;
    }
    next.metadata = metadata;
  }
  next.apiVersion = apiVersionOf(type.group, type.version);
  next.kind = type.kind;
  return next;
}

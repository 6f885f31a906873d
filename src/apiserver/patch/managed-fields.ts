// metadata.managedFields: who owns which fields. Ordinary writes (create/update/patch) are recorded
// here as operation `Update`; server-side apply (server-side-apply.ts) records `Apply`. This is how
// `kubectl apply` (client-side, manager kubectl-client-side-apply) comes to own `.spec.replicas`, so a
// later `kubectl apply --server-side` that changes replicas gets the 409 of kubectl-wire.md §3.5.
import { apiVersionOf, type GroupVersionKind, type KubeObject } from '../../api/object.js';
import { genericObjectType, rootTypeFor, type ObjectType } from '../../api/patch-meta.js';
import { rfc3339 } from '../../lib/rfc3339.js';
import { FieldSet } from './field-set.js';
import { isJsonObject } from './json-value.js';
import { changedFields } from './field-changes.js';
import type { FieldScope } from './object-fields.js';

export type ManagedOperation = 'Apply' | 'Update';

/** One decoded managedFields entry. */
export interface Manager {
  readonly manager: string;
  readonly operation: ManagedOperation;
  /** Part of an Update manager's identity; an Apply manager keeps one entry across versions. */
  apiVersion: string;
  readonly subresource?: string;
  time?: string;
  fields: FieldSet;
}

/** The wire shape of an entry (meta/v1 ManagedFieldsEntry). */
export interface ManagedFieldsEntry {
  manager: string;
  operation: ManagedOperation;
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface WriterContext {
  readonly manager: string;
  readonly gvk: GroupVersionKind;
  readonly now: Date;
  readonly subresource?: string;
}

export type UpdateInput = WriterContext & { old: KubeObject | undefined; updated: KubeObject };

/**
 * Records an ordinary write: `manager` (operation Update) comes to own every field it set or changed
 * (all fields it set, on create), with the maps, lists and list items it added (see changedFields),
 * and those fields, and any it removed, leave the other managers. Mutates
 * `updated.metadata.managedFields`. Status-subresource writes only track status fields.
 */
export function recordUpdate(input: UpdateInput): void {
  writeManagers(input.updated, updatedManagers(input));
}

/**
 * What recordUpdate would store, without touching `updated`: the registry computes it before
 * mutating admission changes the object (upstream records a write's fields then) and stores it
 * after.
 */
export function updatedManagedFields(input: UpdateInput): ManagedFieldsEntry[] {
  return encodeManagers(updatedManagers(input));
}

function updatedManagers(input: UpdateInput): Manager[] {
  const { old, updated } = input;
  const incoming = updated.metadata?.managedFields;
  // A client that sends managedFields (e.g. GET-modify-PUT) states them; an empty/absent list keeps the stored ones.
  const managers = decodeManagers(Array.isArray(incoming) && incoming.length > 0 ? incoming : old?.metadata?.managedFields);
  const { changed, removed } = changedFields(old, updated, rootTypeOf(input.gvk), scopeOf(input.subresource));
  const touched = removed.isEmpty() ? changed : changed.union(removed);

  const self = managerEntry(managers, 'Update', input);
  // A manager none of whose fields were touched keeps its set, and with it its stored encoding.
  for (const other of managers) if (other !== self && other.fields.intersects(touched)) other.fields = other.fields.difference(touched);
  // A new manager (every create) takes the changed set as is: a union would only copy it.
  const owned = self.fields.isEmpty() ? changed : self.fields.union(changed);
  self.fields = removed.isEmpty() ? owned : owned.difference(removed);
  self.time = rfc3339(input.now);
  return managers;
}

export function rootTypeOf(gvk: GroupVersionKind): ObjectType {
  return rootTypeFor(gvk) ?? genericObjectType;
}

export function scopeOf(subresource: string | undefined): FieldScope {
  return subresource === 'status' ? 'status' : 'main';
}

/** Finds (or appends) the entry identified like upstream: manager, operation, subresource, and apiVersion for Update. */
export function managerEntry(managers: Manager[], operation: ManagedOperation, ctx: WriterContext): Manager {
  const apiVersion = apiVersionOf(ctx.gvk.group, ctx.gvk.version);
  const found = managers.find(
    (m) => m.manager === ctx.manager && m.operation === operation && m.subresource === ctx.subresource
      && (operation === 'Apply' || m.apiVersion === apiVersion),
  );
  if (found !== undefined) {
    found.apiVersion = apiVersion;
    return found;
  }
  const created: Manager = ctx.subresource === undefined
    ? { manager: ctx.manager, operation, apiVersion, fields: new FieldSet() }
    : { manager: ctx.manager, operation, apiVersion, subresource: ctx.subresource, fields: new FieldSet() };
  managers.push(created);
  return created;
}

/** Decodes stored entries. Malformed entries are dropped rather than failing the write (upstream resets them too). */
export function decodeManagers(entries: unknown): Manager[] {
  if (!Array.isArray(entries)) return [];
  const out: Manager[] = [];
  for (const e of entries) {
    if (!isJsonObject(e) || typeof e['manager'] !== 'string' || typeof e['apiVersion'] !== 'string') continue;
    const operation = e['operation'];
    if (operation !== 'Apply' && operation !== 'Update') continue;
    let fields: FieldSet;
    try {
      fields = FieldSet.fromFieldsV1(e['fieldsV1'] ?? {});
    } catch {
      continue;
    }
    const m: Manager = typeof e['subresource'] === 'string' && e['subresource'] !== ''
      ? { manager: e['manager'], operation, apiVersion: e['apiVersion'], subresource: e['subresource'], fields }
      : { manager: e['manager'], operation, apiVersion: e['apiVersion'], fields };
    if (typeof e['time'] === 'string') m.time = e['time'];
    out.push(m);
  }
  return out;
}

/** Encodes managers in upstream's order (operation, time, manager, apiVersion, subresource); empty ones vanish. */
export function encodeManagers(managers: readonly Manager[]): ManagedFieldsEntry[] {
  const sorted = managers.filter((m) => !m.fields.isEmpty()).sort((p, q) =>
    compare(p.operation, q.operation) || compare(seconds(p.time), seconds(q.time)) || compare(p.manager, q.manager)
      || compare(p.apiVersion, q.apiVersion) || compare(p.subresource ?? '', q.subresource ?? ''));
  return sorted.map((m) => {
    const entry: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion, fieldsType: 'FieldsV1', fieldsV1: m.fields.toFieldsV1() };
    if (m.time !== undefined) entry.time = m.time;
    if (m.subresource !== undefined) entry.subresource = m.subresource;
    return entry;
  });
}

/** Stores the encoded managers on `obj`, removing the field when nobody owns anything. */
export function writeManagers(obj: KubeObject, managers: readonly Manager[]): void {
  storeManagedFields(obj, encodeManagers(managers));
}

/** Stores encoded entries on `obj`; none removes the field. */
export function storeManagedFields(obj: KubeObject, entries: ManagedFieldsEntry[]): void {
  const metadata = obj.metadata ?? (obj.metadata = {});
  if (entries.length > 0) metadata.managedFields = entries;
  else delete metadata.managedFields;
}

/**
 * Upstream's description of a manager in conflict messages: `"kubectl-client-side-apply" using apps/v1`
 * for Update managers, just `"kubectl"` for Apply managers, with `with subresource "status"` when set.
 */
export function describeManager(m: Manager): string {
  let text = JSON.stringify(m.manager);
  if (m.subresource !== undefined) text += ` with subresource ${JSON.stringify(m.subresource)}`;
  return m.operation === 'Update' ? `${text} using ${m.apiVersion}` : text;
}

/** RFC 3339 at whole seconds, as metav1.Time serialises (formatted once per second). */
export { rfc3339 };

function seconds(time: string | undefined): number {
  const ms = time === undefined ? NaN : Date.parse(time);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

function compare<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

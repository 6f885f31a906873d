// ControllerRevisions: the recorded history of a StatefulSet's or DaemonSet's template (upstream:
// pkg/controller/history). A revision is an immutable snapshot (`data`) with a number (`revision`);
// controllers create one per distinct template, renumber one when an old template comes back, and
// delete those beyond the history limit. `kubectl rollout history/undo` read them.
//
// Two labels are easy to confuse:
// - REVISION_DATA_HASH_LABEL (`controller.kubernetes.io/hash`) is put on a revision by
//   newControllerRevision: the hash of its data, which equalRevision compares first.
// - CONTROLLER_REVISION_HASH_LABEL (`controller-revision-hash`, apps/v1's
//   ControllerRevisionHashLabelKey) is what StatefulSet and DaemonSet put on their *pods* (and a
//   DaemonSet on its own revisions, which it builds without newControllerRevision) to say which
//   revision a pod runs.
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceClient } from '../../client/resource-client.js';
import { ConflictError, NotFoundError, AlreadyExistsError } from '../../lib/errors.js';
import { safeEncodeString } from '../deployment/pod-template-hash.js';
import { fnv32, goJson } from './controller-history-hash.js';
import { getControllerOf, newControllerRef } from './controller-ref.js';

/** A ControllerRevision as ResourceClient, Lister and Informer carry it. */
export type ControllerRevisionObject = ControllerRevision & KubeObject;

/** The pod label naming the revision a StatefulSet or DaemonSet pod was made from. */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

/** The label newControllerRevision puts on a revision: the hash of its data (upstream's history package). */
export const REVISION_DATA_HASH_LABEL = 'controller.kubernetes.io/hash';

/** Names are at most 253 characters: a 223-character prefix leaves room for `-` and any hash. */
const MAX_NAME_PREFIX = 223;

/** Upstream's ControllerRevisionName: `<prefix>-<hash>`, the prefix cut to 223 characters. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.slice(0, MAX_NAME_PREFIX)}-${hash}`;
}

/**
 * Upstream's HashControllerRevision: FNV-1 (not 1a), 32 bits, over the data as Go's encoding/json
 * writes it (keys sorted, `<>&` escaped), then the decimal collisionCount when given, the sum's
 * decimal safe-encoded. Example: collisionCount 0 hashes the data's bytes followed by the byte '0',
 * so it differs from no collisionCount at all.
 */
export function hashControllerRevision(revision: ControllerRevision, collisionCount?: number): string {
  let hash = fnv32(goJson(revision.data ?? null));
  if (collisionCount !== undefined) hash = fnv32(String(Math.trunc(collisionCount)), hash);
  return safeEncodeString(String(hash));
}

/**
 * A new, unsaved revision of `parent`: named `<parent>-<hash>` in the parent's namespace, labelled
 * with the template's labels plus REVISION_DATA_HASH_LABEL, controlled by the parent.
 */
export function newControllerRevision(
  parent: KubeObject,
  parentType: { apiVersion: string; kind: string },
  templateLabels: Record<string, string>,
  data: unknown,
  revision: number,
  collisionCount?: number,
): ControllerRevisionObject {
  const created: ControllerRevisionObject = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      ...(parent.metadata?.namespace !== undefined ? { namespace: parent.metadata.namespace } : {}),
      labels: { ...templateLabels },
      ownerReferences: [newControllerRef(parent, parentType)],
    },
    data: structuredClone(data ?? {}),
    revision,
  };
  const hash = hashControllerRevision(created, collisionCount);
  created.metadata = { ...created.metadata, name: controllerRevisionName(parent.metadata?.name ?? '', hash) };
  created.metadata.labels = { ...created.metadata.labels, [REVISION_DATA_HASH_LABEL]: hash };
  return created;
}

/**
 * Upstream's reading of the hash label: a decimal that fits 32 bits, or nothing. Safe-encoded
 * hashes usually contain letters and then are not compared at all, exactly as upstream.
 */
function parsedDataHash(revision: ControllerRevision): number | undefined {
  const text = revision.metadata?.labels?.[REVISION_DATA_HASH_LABEL];
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= -(2 ** 31) && value < 2 ** 31 ? value >>> 0 : undefined;
}

/** Whether the data of two revisions is the same (upstream's EqualRevision). */
export function equalRevision(a: ControllerRevision, b: ControllerRevision): boolean {
  const hashA = parsedDataHash(a);
  const hashB = parsedDataHash(b);
  if (hashA !== undefined && hashB !== undefined && hashA !== hashB) return false;
  return goJson(a.data ?? null) === goJson(b.data ?? null);
}

/** The revisions equal to `needle`, in their given order (upstream's FindEqualRevisions). */
export function findEqualRevisions(revisions: readonly ControllerRevision[], needle: ControllerRevision): ControllerRevision[] {
  return revisions.filter((revision) => equalRevision(revision, needle));
}

function creationMillis(revision: ControllerRevision): number {
  const stamp = revision.metadata?.creationTimestamp;
  return stamp === undefined ? 0 : Date.parse(stamp) || 0;
}

/** Ascending by .revision, ties by creation time, then by name (upstream's SortControllerRevisions). */
export function sortControllerRevisions(revisions: readonly ControllerRevision[]): ControllerRevision[] {
  return [...revisions].sort((a, b) =>
    a.revision - b.revision
    || creationMillis(a) - creationMillis(b)
    || compareStrings(a.metadata?.name ?? '', b.metadata?.name ?? ''));
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The number for the next revision: 1 + the highest, or 1 when there are none. */
export function nextRevision(revisions: readonly ControllerRevision[]): number {
  let highest = 0;
  for (const revision of revisions) highest = Math.max(highest, revision.revision);
  return highest + 1;
}

/**
 * How many names a create tries before giving up. Upstream loops until it finds a free name; a
 * bound turns a server that always answers AlreadyExists into an error instead of a hung worker.
 */
const MAX_CREATE_ATTEMPTS = 50;
/** Attempts of a conflict-retried write (each re-reads the revision first). */
const MAX_CONFLICT_ATTEMPTS = 5;

/** Writes the revisions of one controller's parents (upstream's realHistory). */
export class ControllerHistory {
  private readonly client: ResourceClient<ControllerRevisionObject>;

  constructor(client: ResourceClient<ControllerRevisionObject>) {
    this.client = client;
  }

  /**
   * Creates `revision` under the name its data and `collisionCount` hash to. If that name is taken
   * by a revision with the same data, that one is returned; by different data (a hash collision),
   * collisionCount.value is incremented and the next name is tried. The caller persists
   * collisionCount.value in its status so later names stay the same. As upstream, only the name
   * follows the new hash; the hash label keeps the value it was given.
   */
  async createControllerRevision(
    parent: KubeObject,
    revision: ControllerRevision,
    collisionCount: { value: number },
  ): Promise<ControllerRevisionObject> {
    const namespace = parent.metadata?.namespace;
    for (let attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
      const name = controllerRevisionName(parent.metadata?.name ?? '', hashControllerRevision(revision, collisionCount.value));
      const candidate = structuredClone(revision) as ControllerRevisionObject;
      candidate.metadata = { ...candidate.metadata, name, ...(namespace !== undefined ? { namespace } : {}) };
      try {
        return await this.client.create(namespace, candidate);
      } catch (error) {
        if (!(error instanceof AlreadyExistsError)) throw error;
      }
      const existing = await this.client.get(namespace, name);
      if (goJson(existing.data ?? null) === goJson(candidate.data ?? null)) return existing;
      collisionCount.value += 1;
    }
    throw new AlreadyExistsError(`no free ControllerRevision name for ${parent.metadata?.name ?? ''} after ${MAX_CREATE_ATTEMPTS} attempts`);
  }

  /** Sets the .revision of an existing revision, re-reading and retrying when the write conflicts. */
  async updateControllerRevision(revision: ControllerRevision, newRevision: number): Promise<ControllerRevisionObject> {
    let current = structuredClone(revision) as ControllerRevisionObject;
    for (let attempt = 1; ; attempt++) {
      if (current.revision === newRevision) return current;
      try {
        return await this.client.update(current.metadata?.namespace, { ...current, revision: newRevision });
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= MAX_CONFLICT_ATTEMPTS) throw error;
      }
      current = await this.client.get(current.metadata?.namespace, current.metadata?.name ?? '');
    }
  }

  async deleteControllerRevision(revision: ControllerRevision): Promise<void> {
    await this.client.delete(revision.metadata?.namespace, revision.metadata?.name ?? '');
  }

  /**
   * Makes `parent` the controller of an orphaned revision. The patch carries the resourceVersion
   * read, so if another controller adopts it first this write conflicts instead of overwriting.
   */
  async adoptControllerRevision(
    parent: KubeObject,
    parentType: { apiVersion: string; kind: string },
    revision: ControllerRevision,
  ): Promise<ControllerRevisionObject> {
    const owner = getControllerOf(revision);
    if (owner !== undefined) {
      throw new ConflictError(`attempt to adopt revision ${revision.metadata?.name ?? ''} owned by ${owner.kind} ${owner.name}`);
    }
    const ownerReferences = [...(revision.metadata?.ownerReferences ?? []), newControllerRef(parent, parentType)];
    return this.client.patch(parent.metadata?.namespace, revision.metadata?.name ?? '', 'merge', {
      metadata: { ownerReferences, resourceVersion: revision.metadata?.resourceVersion },
    });
  }

  /**
   * Removes `parent`'s ownerReference. A revision that is gone, or that `parent` no longer
   * references, needs nothing: undefined and the revision as given, respectively.
   */
  async releaseControllerRevision(parent: KubeObject, revision: ControllerRevision): Promise<ControllerRevisionObject | undefined> {
    const parentUid = parent.metadata?.uid;
    const references = revision.metadata?.ownerReferences ?? [];
    const kept = references.filter((ref) => ref.uid !== parentUid);
    if (kept.length === references.length) return revision as ControllerRevisionObject;
    try {
      return await this.client.patch(revision.metadata?.namespace, revision.metadata?.name ?? '', 'merge', {
        metadata: { ownerReferences: kept.length > 0 ? kept : null, resourceVersion: revision.metadata?.resourceVersion },
      });
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }
}

// A DaemonSet's ControllerRevisions (upstream: constructHistory, snapshot, dedupCurHistories,
// cleanupHistory). One revision per distinct template, numbered in the order templates were last
// used: going back to an old template renumbers its revision instead of making a new one, which is
// what `kubectl rollout undo` relies on. The current revision's `controller-revision-hash` label is
// the hash new pods carry.
//
// Example: templates A (rev 1) then B (rev 2); `kubectl rollout undo` puts A back. A's revision
// matches again and becomes rev 3; B stays rev 2. History: 2 (B), 3 (A).
import type { ResourceClient } from '../../client/resource-client.js';
import { AlreadyExistsError } from '../../lib/errors.js';
import { computePodTemplateHash } from '../deployment/pod-template-hash.js';
import { ControllerHistory, nextRevision, sortControllerRevisions } from '../framework/controller-history.js';
import { newControllerRef } from '../framework/controller-ref.js';
import {
  CONTROLLER_REVISION_HASH_LABEL, DAEMON_SET_TYPE, DEFAULT_REVISION_HISTORY_LIMIT,
  type ControllerRevisionObject, type DaemonSetObject, type PodObject,
} from './daemon-set-types.js';
import { matchesRevisionData, templatePatch } from './revision-data.js';

export interface DaemonSetHistoryOptions {
  readonly revisions: ResourceClient<ControllerRevisionObject>;
  readonly daemonSets: ResourceClient<DaemonSetObject>;
  readonly pods: ResourceClient<PodObject>;
}

export interface ConstructedHistory {
  readonly current: ControllerRevisionObject;
  readonly old: readonly ControllerRevisionObject[];
}

/** The hash label of a revision ('' when missing). */
export function revisionHash(revision: ControllerRevisionObject): string {
  return revision.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
}

export class DaemonSetHistory {
  private readonly options: DaemonSetHistoryOptions;
  private readonly history: ControllerHistory;

  constructor(options: DaemonSetHistoryOptions) {
    this.options = options;
    this.history = new ControllerHistory(options.revisions);
  }

  /** The adopt/release writes, for claiming revisions. */
  get writes(): ControllerHistory {
    return this.history;
  }

  /**
   * Finds (or creates) the current template's revision among `owned`, renumbers it to be the
   * newest, and removes duplicates of it. Throws on a hash collision after bumping
   * status.collisionCount (the retry then uses a new name).
   */
  async construct(ds: DaemonSetObject, owned: readonly ControllerRevisionObject[], pods: readonly PodObject[]): Promise<ConstructedHistory> {
    const current: ControllerRevisionObject[] = [];
    const old: ControllerRevisionObject[] = [];
    for (const found of owned) {
      const revision = await this.withHashLabel(found);
      if (matchesRevisionData(ds, revision.data)) current.push(revision);
      else old.push(revision);
    }
    const wanted = nextRevision(old);
    if (current.length === 0) return { current: await this.snapshot(ds, wanted), old };
    let kept = await this.dedup(current, pods);
    if (kept.revision < wanted) kept = await this.history.updateControllerRevision(kept, wanted);
    return { current: kept, old };
  }

  /**
   * Deletes the oldest revisions beyond spec.revisionHistoryLimit, except those some pod still
   * runs (a rollback to them must stay possible while they are live).
   */
  async cleanup(ds: DaemonSetObject, old: readonly ControllerRevisionObject[], pods: readonly PodObject[]): Promise<void> {
    let excess = old.length - (ds.spec?.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT);
    if (excess <= 0) return;
    const liveHashes = new Set(pods.map((pod) => pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '').filter((hash) => hash !== ''));
    for (const revision of sortControllerRevisions(old) as ControllerRevisionObject[]) {
      if (excess <= 0) return;
      if (liveHashes.has(revisionHash(revision))) continue;
      await this.history.deleteControllerRevision(revision);
      excess--;
    }
  }

  /** Revisions from before the hash label existed get their name as the label. */
  private async withHashLabel(revision: ControllerRevisionObject): Promise<ControllerRevisionObject> {
    if (revision.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] !== undefined) return revision;
    const labels = { ...(revision.metadata?.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: revision.metadata?.name ?? '' };
    return this.options.revisions.update(revision.metadata?.namespace, { ...structuredClone(revision), metadata: { ...revision.metadata, labels } });
  }

  /** Creates the revision of `ds`'s current template (upstream's snapshot). */
  private async snapshot(ds: DaemonSetObject, revisionNumber: number): Promise<ControllerRevisionObject> {
    const hash = computePodTemplateHash(ds.spec?.template, ds.status?.collisionCount);
    const name = `${ds.metadata?.name ?? ''}-${hash}`;
    const namespace = ds.metadata?.namespace;
    const revision: ControllerRevisionObject = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name,
        ...(namespace !== undefined ? { namespace } : {}),
        labels: { ...(ds.spec?.template?.metadata?.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash },
        // Carries kubernetes.io/change-cause, the CHANGE-CAUSE column of `kubectl rollout history`.
        ...(ds.metadata?.annotations !== undefined ? { annotations: { ...ds.metadata.annotations } } : {}),
        ownerReferences: [newControllerRef(ds, DAEMON_SET_TYPE)],
      },
      data: templatePatch(ds),
      revision: revisionNumber,
    };
    try {
      return await this.options.revisions.create(namespace, revision);
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      const existing = await this.options.revisions.get(namespace, name);
      if (matchesRevisionData(ds, existing.data)) return existing; // ours, from a pass the cache missed
      await this.bumpCollisionCount(ds);
      throw error;
    }
  }

  /**
   * A different template already has this name: count the collision in status, so the next
   * attempt hashes differently. Only from the count the name was computed with: if the stored
   * count moved on meanwhile, the retry uses that one.
   */
  private async bumpCollisionCount(ds: DaemonSetObject): Promise<void> {
    const fresh = await this.options.daemonSets.get(ds.metadata?.namespace, ds.metadata?.name ?? '');
    if (fresh.status?.collisionCount !== ds.status?.collisionCount) {
      throw new AlreadyExistsError(`found a stale collision count (${ds.status?.collisionCount ?? 'none'}, expected ${fresh.status?.collisionCount ?? 'none'}) of DaemonSet ${ds.metadata?.name ?? ''}; will retry until it is updated`);
    }
    const status = { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, ...fresh.status };
    await this.options.daemonSets.updateStatus(fresh.metadata?.namespace, { ...fresh, status: { ...status, collisionCount: (status.collisionCount ?? 0) + 1 } });
  }

  /**
   * Several revisions hold the current template: keep the highest-numbered, move its duplicates'
   * pods onto its hash, delete the duplicates. (Upstream relabels every pod whose hash differs,
   * old-template pods included, which would mark them up to date; only duplicates' pods move here.)
   */
  private async dedup(current: readonly ControllerRevisionObject[], pods: readonly PodObject[]): Promise<ControllerRevisionObject> {
    let kept = current[0] as ControllerRevisionObject;
    for (const revision of current) if (revision.revision >= kept.revision) kept = revision;
    if (current.length === 1) return kept;
    const keptHash = revisionHash(kept);
    const duplicateHashes = new Set(current.filter((r) => r !== kept).map(revisionHash));
    for (const pod of pods) {
      const hash = pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL];
      if (hash === undefined || hash === keptHash || !duplicateHashes.has(hash)) continue;
      await this.options.pods.patch(pod.metadata?.namespace, pod.metadata?.name ?? '', 'merge', {
        metadata: { labels: { [CONTROLLER_REVISION_HASH_LABEL]: keptHash } },
      });
    }
    for (const revision of current) if (revision !== kept) await this.history.deleteControllerRevision(revision);
    return kept;
  }
}

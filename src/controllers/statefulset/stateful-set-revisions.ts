// A StatefulSet's ControllerRevisions (upstream: ListRevisions, AdoptOrphanRevisions,
// getStatefulSetRevisions, newRevision, truncateHistory). The *update* revision is the set's
// template now; the *current* revision is the one status.currentRevision names (the template the
// rollout started from). `kubectl rollout history/undo sts/x` list the revisions the set controls
// whose labels its selector matches, and read the change-cause annotation copied from the set.
import { matchesLabels, type LabelSelectorRequirementSet } from '../../api/selectors/label-selector.js';
import type { Lister } from '../../client/informer/informer.js';
import { NotFoundError } from '../../lib/errors.js';
import {
  equalRevision, findEqualRevisions, newControllerRevision, nextRevision, sortControllerRevisions,
  type ControllerHistory, type ControllerRevisionObject,
} from '../framework/controller-history.js';
import { getControllerOf } from '../framework/controller-ref.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { statefulSetPatch } from './revision-data.js';
import { podRevision } from './stateful-pod-state.js';
import { STATEFUL_SET_TYPE, type StatefulSetObject } from './stateful-set-spec.js';

export interface SetRevisions {
  readonly current: ControllerRevisionObject;
  readonly update: ControllerRevisionObject;
  /** status.collisionCount after this pass (raised when a revision name was taken). */
  readonly collisionCount: number;
}

/** The set's revisions and the orphans it may adopt, oldest first: selector matches, owner is it or nobody. */
export function listRevisions(
  lister: Lister<ControllerRevisionObject>,
  set: StatefulSetObject,
  selector: LabelSelectorRequirementSet,
): ControllerRevisionObject[] {
  const namespace = set.metadata?.namespace;
  const candidates = lister.list(namespace === undefined ? {} : { namespace }).filter((revision) => {
    const owner = getControllerOf(revision);
    return (owner === undefined || owner.uid === set.metadata?.uid) && matchesLabels(selector, revision.metadata?.labels);
  });
  return sortControllerRevisions(candidates) as ControllerRevisionObject[];
}

/**
 * Makes the set the controller of each orphan in `revisions` (a set deleted with
 * `--cascade=orphan` and created again finds its history this way). `canAdopt` re-reads the set
 * uncached first, as for pods. Returns the list with the adopted revisions as written.
 */
export async function adoptOrphanRevisions(
  set: StatefulSetObject,
  revisions: readonly ControllerRevisionObject[],
  history: ControllerHistory,
  canAdopt: () => Promise<void>,
): Promise<ControllerRevisionObject[]> {
  if (!revisions.some((revision) => getControllerOf(revision) === undefined)) return [...revisions];
  await canAdopt();
  const adopted: ControllerRevisionObject[] = [];
  for (const revision of revisions) {
    adopted.push(getControllerOf(revision) === undefined ? await history.adoptControllerRevision(set, STATEFUL_SET_TYPE, revision) : revision);
  }
  return adopted;
}

/** An unsaved revision for the set's template now; it carries the set's annotations (change-cause). */
function newRevision(set: StatefulSetObject, revision: number, collisionCount: number): ControllerRevisionObject {
  const created = newControllerRevision(set, STATEFUL_SET_TYPE, set.spec?.template.metadata?.labels ?? {}, statefulSetPatch(set), revision, collisionCount);
  const annotations = set.metadata?.annotations;
  if (annotations !== undefined && Object.keys(annotations).length > 0) {
    created.metadata = { ...created.metadata, annotations: { ...(created.metadata?.annotations ?? {}), ...annotations } };
  }
  return created;
}

/**
 * The current and update revisions, writing at most one revision. With `sorted` oldest first:
 * - the newest revision already has this template: it is the update revision;
 * - an older one has it (a rollback, `kubectl rollout undo`): it is renumbered to be the newest,
 *   so revision numbers keep telling the order templates were used in;
 * - none has it: a new revision is created, numbered one past the newest.
 * Example: revisions 1 (image v1) and 2 (v2), template set back to v1 -> revision 1 becomes 3.
 */
export async function resolveRevisions(
  set: StatefulSetObject,
  sorted: readonly ControllerRevisionObject[],
  history: ControllerHistory,
): Promise<SetRevisions> {
  const collision = { value: set.status?.collisionCount ?? 0 };
  const candidate = newRevision(set, nextRevision(sorted), collision.value);
  const equal = findEqualRevisions(sorted, candidate);
  const newestEqual = equal.at(-1);
  const newest = sorted.at(-1);
  let update: ControllerRevisionObject;
  if (newestEqual !== undefined && newest !== undefined && equalRevision(newest, newestEqual)) {
    update = newest;
  } else if (newestEqual !== undefined) {
    update = await history.updateControllerRevision(newestEqual, candidate.revision);
  } else {
    update = await history.createControllerRevision(set, candidate, collision);
  }
  const currentName = set.status?.currentRevision;
  const current = sorted.find((revision) => revision.metadata?.name === currentName) ?? update;
  return { current, update, collisionCount: collision.value };
}

/**
 * Deletes the oldest revisions nothing uses until at most revisionHistoryLimit unused ones remain.
 * Used: the current and update revisions and every pod's revision label.
 * Example: limit 1, revisions 1..4, update 4, current 4, no pod on 1..3 -> 1 and 2 are deleted.
 */
export async function truncateHistory(
  sorted: readonly ControllerRevisionObject[],
  live: SetRevisions,
  pods: readonly Pod[],
  limit: number,
  history: ControllerHistory,
): Promise<void> {
  const used = new Set([live.current.metadata?.name, live.update.metadata?.name, ...pods.map(podRevision)]);
  const unused = sorted.filter((revision) => !used.has(revision.metadata?.name));
  if (limit < 0 || unused.length <= limit) return;
  for (const revision of unused.slice(0, unused.length - limit)) {
    try {
      await history.deleteControllerRevision(revision);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error; // already gone: what we wanted
    }
  }
}

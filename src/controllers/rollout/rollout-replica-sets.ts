// The ReplicaSets of a Rollout (Argo rollout/replicaset.go, sync.go): one per pod-template-hash,
// named `<rollout>-<hash>`, the hash in labels, selector and pod template (`rollouts-pod-template-hash`),
// owned by the Rollout, with the revision in `rollout.argoproj.io/revision`.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { AlreadyExistsError } from '../../lib/errors.js';
import { computePodTemplateHash } from '../deployment/pod-template-hash.js';
import { newControllerRef } from '../framework/controller-ref.js';
import type { RolloutPass } from './rollout-pass.js';
import type { ReplicaSetObject, RolloutObject } from './rollout-types.js';
import { formatTime, revisionOf } from './rollout-types.js';
import {
  DEFAULT_REVISION_HISTORY_LIMIT, ROLLOUT_API_VERSION, ROLLOUT_HASH_LABEL, ROLLOUT_REVISION_ANNOTATION, SCALE_DOWN_DEADLINE_ANNOTATION,
} from './rollout-types.js';

export function hashOf(rs: ReplicaSetObject | undefined): string | undefined {
  return rs?.metadata?.labels?.[ROLLOUT_HASH_LABEL];
}

/** The hash of a template, ignoring any rollouts-pod-template-hash label already in it. */
export function rolloutPodTemplateHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  const copy = structuredClone(template ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels[ROLLOUT_HASH_LABEL];
  return computePodTemplateHash(copy, collisionCount);
}

/** The desired ReplicaSet of `ro` for `template` with `hash` (replicas 0: the strategy sizes it). */
export function buildReplicaSet(ro: RolloutObject, template: PodTemplateSpec, hash: string, revision: number): ReplicaSetObject {
  const podTemplate = structuredClone(template);
  const meta = (podTemplate.metadata ??= {});
  meta.labels = { ...(meta.labels ?? {}), [ROLLOUT_HASH_LABEL]: hash };
  const selector = structuredClone(ro.spec?.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [ROLLOUT_HASH_LABEL]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${ro.metadata?.name ?? ''}-${hash}`,
      ...(ro.metadata?.namespace !== undefined ? { namespace: ro.metadata.namespace } : {}),
      labels: { ...meta.labels },
      annotations: { [ROLLOUT_REVISION_ANNOTATION]: String(revision) },
      ownerReferences: [newControllerRef(ro, { apiVersion: ROLLOUT_API_VERSION, kind: 'Rollout' })],
    },
    spec: { replicas: 0, minReadySeconds: ro.spec?.minReadySeconds ?? 0, selector, template: podTemplate },
  };
}

/**
 * Finds the ReplicaSet of the current template or creates it (revision max+1). A ReplicaSet reused
 * after a rollback (the template went back to an older one) gets revision max+1 too, like Argo.
 */
export async function ensureNewReplicaSet(pass: RolloutPass, template: PodTemplateSpec): Promise<void> {
  const existing = pass.replicaSetByHash(pass.hash);
  const others = pass.allRSs.filter((rs) => rs !== existing);
  const maxOther = Math.max(0, ...others.map(revisionOf));
  if (existing) {
    pass.newRS = existing;
    if (revisionOf(existing) <= maxOther) {
      const copy = structuredClone(existing);
      (copy.metadata ??= {}).annotations = { ...(copy.metadata.annotations ?? {}), [ROLLOUT_REVISION_ANNOTATION]: String(maxOther + 1) };
      pass.replaceRS(await pass.deps.replicaSets.update(pass.namespace, copy));
    }
    return;
  }
  const wanted = buildReplicaSet(pass.rollout, template, pass.hash, maxOther + 1);
  let created: ReplicaSetObject;
  try {
    created = await pass.deps.replicaSets.create(pass.namespace, wanted);
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) {
      const message = `Failed to create new replica set "${wanted.metadata?.name ?? ''}": ${error instanceof Error ? error.message : String(error)}`;
      pass.event('Warning', 'ReplicaSetCreateError', message);
      throw error;
    }
    // Our cache is behind (we made it last pass), or the name is taken by another template.
    created = await pass.deps.replicaSets.get(pass.namespace, wanted.metadata?.name ?? '');
    if (hashOf(created) !== pass.hash || created.metadata?.ownerReferences?.[0]?.uid !== pass.rollout.metadata?.uid) {
      pass.status.collisionCount = (pass.status.collisionCount ?? 0) + 1;
      throw error;
    }
  }
  pass.allRSs.push(created);
  pass.newRS = created;
  pass.event('Normal', 'RolloutUpdated', `Rollout updated to revision ${revisionOf(created)}`);
  pass.event('Normal', 'NewReplicaSetCreated', `Created ReplicaSet ${created.metadata?.name ?? ''} (revision ${revisionOf(created)})`);
}

/**
 * Deletes the oldest ReplicaSets at 0 replicas beyond revisionHistoryLimit (default 10). The
 * stable and new ReplicaSets are never candidates.
 */
export async function cleanupHistory(pass: RolloutPass): Promise<void> {
  const limit = pass.rollout.spec?.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT;
  const idle = pass.otherRSs
    .filter((rs) => (rs.spec?.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0 && rs.metadata?.deletionTimestamp === undefined)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
    await pass.deps.replicaSets.delete(pass.namespace, rs.metadata?.name ?? '', { propagationPolicy: 'Background' });
    pass.allRSs = pass.allRSs.filter((r) => r !== rs);
    pass.otherRSs = pass.otherRSs.filter((r) => r !== rs);
  }
}

/**
 * Scales `rs` to 0 once `delaySeconds` have passed since this was first asked: the first call
 * writes the `scale-down-deadline` annotation (Argo's name), later calls scale down when it is due
 * and otherwise requeue for it. delaySeconds 0 scales down at once.
 * Returns true when the ReplicaSet is at 0.
 */
export async function scaleDownAfterDelay(pass: RolloutPass, rs: ReplicaSetObject, delaySeconds: number): Promise<boolean> {
  if ((rs.spec?.replicas ?? 0) === 0) return true;
  const nowMs = pass.now().getTime();
  if (delaySeconds <= 0) {
    await pass.scaleReplicaSet(rs, 0, { [SCALE_DOWN_DEADLINE_ANNOTATION]: undefined });
    return true;
  }
  const text = rs.metadata?.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION];
  const deadline = text === undefined ? NaN : Date.parse(text);
  if (Number.isNaN(deadline)) {
    await pass.scaleReplicaSet(rs, rs.spec?.replicas ?? 0, { [SCALE_DOWN_DEADLINE_ANNOTATION]: formatTime(new Date(nowMs + delaySeconds * 1000)) });
    pass.requeueAfter(delaySeconds * 1000);
    return false;
  }
  if (deadline > nowMs) {
    pass.requeueAfter(deadline - nowMs);
    return false;
  }
  await pass.scaleReplicaSet(rs, 0, { [SCALE_DOWN_DEADLINE_ANNOTATION]: undefined });
  return true;
}

/** Drops a pending scale-down deadline (the ReplicaSet is wanted again, e.g. a rollback). */
export async function clearScaleDownDeadline(pass: RolloutPass, rs: ReplicaSetObject): Promise<ReplicaSetObject> {
  if (rs.metadata?.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION] === undefined) return rs;
  return pass.scaleReplicaSet(rs, rs.spec?.replicas ?? 0, { [SCALE_DOWN_DEADLINE_ANNOTATION]: undefined });
}

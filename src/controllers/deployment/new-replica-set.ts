// Finding (or creating) the Deployment's "new" ReplicaSet and syncing revisions (upstream sync.go
// getAllReplicaSetsAndSyncRevision / getNewReplicaSet, deployment/util FindNewReplicaSet).
//
// The new RS is the oldest one whose template equals the deployment's ignoring pod-template-hash.
// After `kubectl rollout undo` that is the old RS the template came from: it is reused and gets
// revision max+1 (its earlier revisions go to revision-history).
import { AlreadyExistsError } from '../../lib/errors.js';
import { isControlledBy, newControllerRef } from '../framework/controller-ref.js';
import type { DeploymentObject, ReplicaSetObject } from './deployment-types.js';
import { POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION, specReplicas } from './deployment-types.js';
import { getCondition, newCondition, REASON, setCondition } from './deployment-conditions.js';
import { hasProgressDeadline } from './deployment-status.js';
import { computePodTemplateHash, equalIgnoreHash } from './pod-template-hash.js';
import { maxRevision, setNewReplicaSetAnnotations } from './replica-set-annotations.js';
import { oldestFirst } from './replica-set-order.js';
import type { RolloutContext } from './rollout-context.js';
import { maxSurge, newReplicaSetReplicas } from './rollout-math.js';

export interface ReplicaSetSplit {
  readonly newRS: ReplicaSetObject | undefined;
  /** Every other owned ReplicaSet, whatever its size. */
  readonly oldRSs: ReplicaSetObject[];
}

/** Upstream FindNewReplicaSet. */
export function findNewReplicaSet(d: DeploymentObject, sets: readonly ReplicaSetObject[]): ReplicaSetObject | undefined {
  return oldestFirst(sets).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

export function splitReplicaSets(d: DeploymentObject, sets: readonly ReplicaSetObject[]): ReplicaSetSplit {
  const newRS = findNewReplicaSet(d, sets);
  const newUid = newRS?.metadata?.uid;
  return { newRS, oldRSs: sets.filter((rs) => rs !== newRS && (newUid === undefined || rs.metadata?.uid !== newUid)) };
}

/**
 * The new and old ReplicaSets, with the new one's annotations and the deployment's revision
 * brought up to date; with `create`, a missing new ReplicaSet is created.
 */
export async function getAllReplicaSetsAndSyncRevision(
  ctx: RolloutContext,
  sets: readonly ReplicaSetObject[],
  create: boolean,
): Promise<ReplicaSetSplit> {
  const { newRS: existing, oldRSs } = splitReplicaSets(ctx.deployment, sets);
  const newRevision = maxRevision(oldRSs) + 1;
  if (existing) return { newRS: await syncExistingNewReplicaSet(ctx, existing, newRevision), oldRSs };
  if (!create) return { newRS: undefined, oldRSs };
  return { newRS: await createNewReplicaSet(ctx, oldRSs, newRevision), oldRSs };
}

async function syncExistingNewReplicaSet(ctx: RolloutContext, existing: ReplicaSetObject, newRevision: number): Promise<ReplicaSetObject> {
  const d = ctx.deployment;
  let rs = existing;
  const copy = structuredClone(existing);
  const desired = specReplicas(d);
  const annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision, true, { desired, max: desired + maxSurge(d) });
  const minReadySeconds = d.spec?.minReadySeconds ?? 0;
  if (annotationsChanged || (copy.spec?.minReadySeconds ?? 0) !== minReadySeconds) {
    (copy.spec ??= { selector: {} }).minReadySeconds = minReadySeconds;
    rs = await ctx.deps.replicaSets.update(ctx.namespace, copy);
  }
  const revision = rs.metadata?.annotations?.[REVISION_ANNOTATION];
  if (revision !== undefined) ctx.setRevision(revision);
  // Progress tracking starts now for a deployment that has never recorded any.
  if (hasProgressDeadline(d) && !getCondition(ctx.status(), 'Progressing')) {
    const message = `Found new replica set ${JSON.stringify(rs.metadata?.name ?? '')}`;
    setCondition(ctx.status(), newCondition('Progressing', 'True', REASON.foundNewReplicaSet, message, ctx.now()));
  }
  await ctx.persist();
  return rs;
}

function buildNewReplicaSet(d: DeploymentObject, oldRSs: readonly ReplicaSetObject[], newRevision: number): ReplicaSetObject {
  const hash = computePodTemplateHash(d.spec?.template, d.status?.collisionCount);
  const template = structuredClone(d.spec?.template ?? {});
  const templateMeta = (template.metadata ??= {});
  templateMeta.labels = { ...(templateMeta.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  const selector = structuredClone(d.spec?.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  const rs: ReplicaSetObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata?.name ?? ''}-${hash}`,
      ...(d.metadata?.namespace !== undefined ? { namespace: d.metadata.namespace } : {}),
      labels: { ...templateMeta.labels },
      ownerReferences: [newControllerRef(d, { apiVersion: 'apps/v1', kind: 'Deployment' })],
    },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
  };
  const replicas = newReplicaSetReplicas(d, [...oldRSs, rs], rs);
  rs.spec = { ...rs.spec, selector, replicas };
  const desired = specReplicas(d);
  setNewReplicaSetAnnotations(d, rs, newRevision, false, { desired, max: desired + maxSurge(d) });
  return rs;
}

async function createNewReplicaSet(ctx: RolloutContext, oldRSs: readonly ReplicaSetObject[], newRevision: number): Promise<ReplicaSetObject> {
  const d = ctx.deployment;
  const wanted = buildNewReplicaSet(d, oldRSs, newRevision);
  const name = wanted.metadata?.name ?? '';
  let created: ReplicaSetObject;
  let alreadyExisted = false;
  try {
    created = await ctx.deps.replicaSets.create(ctx.namespace, wanted);
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) {
      const message = `Failed to create new replica set ${JSON.stringify(name)}: ${error instanceof Error ? error.message : String(error)}`;
      if (hasProgressDeadline(d)) {
        setCondition(ctx.status(), newCondition('Progressing', 'False', REASON.failedCreate, message, ctx.now()));
        await ctx.persist().catch(() => undefined);
      }
      ctx.deps.recorder.event(d, 'Warning', REASON.failedCreate, message);
      throw error;
    }
    // Our cache may simply be behind (we made it last pass). Ask the server, not the cache.
    const found = await ctx.deps.replicaSets.get(ctx.namespace, name);
    if (!isControlledBy(found, d) || !equalIgnoreHash(found.spec?.template, d.spec?.template)) {
      // A true hash collision: another template already owns this name. Salt the hash and retry.
      ctx.status().collisionCount = (d.status?.collisionCount ?? 0) + 1;
      await ctx.persist();
      throw error;
    }
    created = found;
    alreadyExisted = true;
  }
  const replicas = created.spec?.replicas ?? 0;
  if (!alreadyExisted && replicas > 0) {
    ctx.deps.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${replicas}`);
  }
  ctx.setRevision(String(newRevision));
  if (!alreadyExisted && hasProgressDeadline(d)) {
    const message = `Created new replica set ${JSON.stringify(name)}`;
    setCondition(ctx.status(), newCondition('Progressing', 'True', REASON.newReplicaSetCreated, message, ctx.now()));
  }
  await ctx.persist();
  return created;
}

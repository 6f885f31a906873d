// Ephemeral metadata (Argo rollout/ephemeralmetadata.go): labels and annotations that pods carry
// only while their ReplicaSet plays a role — canaryMetadata/stableMetadata for a canary,
// previewMetadata/activeMetadata for blue/green. They are merged into the ReplicaSet's pod template
// (so new pods are created with them) and written onto its existing pods in place (no restart):
// when the canary becomes stable, its pods swap the canary labels for the stable ones.
//
// What was applied last is kept on the ReplicaSet in the `rollout.argoproj.io/ephemeral-metadata`
// annotation (JSON), so a role change removes exactly those keys and nothing the user set.
// The pod-template-hash label is never touched: the Services select by it.
//
// Example: canaryMetadata {labels: {role: canary}}, stableMetadata {labels: {role: stable}}. During
// the update the new RS and its pods have role=canary and the old ones role=stable; once promoted
// the new RS and its pods have role=stable (the old RS is left as it was, on its way to 0).
import { formatLabelSelector } from '../../api/selectors/label-selector.js';
import { isControlledBy } from '../framework/controller-ref.js';
import type { RolloutPass } from './rollout-pass.js';
import type { PodMetadata, ReplicaSetObject } from './rollout-types.js';
import { ROLLOUT_HASH_LABEL } from './rollout-types.js';

export const EPHEMERAL_METADATA_ANNOTATION = 'rollout.argoproj.io/ephemeral-metadata';

interface Meta {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function normalized(metadata: PodMetadata | undefined): PodMetadata {
  const out: PodMetadata = {};
  const labels = Object.entries(metadata?.labels ?? {}).filter(([key]) => key !== ROLLOUT_HASH_LABEL);
  if (labels.length > 0) out.labels = Object.fromEntries(labels);
  if (Object.keys(metadata?.annotations ?? {}).length > 0) out.annotations = { ...metadata?.annotations };
  return out;
}

function recorded(rs: ReplicaSetObject): PodMetadata {
  const text = rs.metadata?.annotations?.[EPHEMERAL_METADATA_ANNOTATION];
  if (text === undefined) return {};
  try {
    return normalized(JSON.parse(text) as PodMetadata);
  } catch {
    return {}; // not ours to interpret: apply the desired metadata and record it afresh
  }
}

/** Removes `previous`'s keys from `meta` and adds `desired`'s; true when anything changed. */
export function applyEphemeral(meta: Meta, previous: PodMetadata, desired: PodMetadata): boolean {
  let changed = false;
  for (const kind of ['labels', 'annotations'] as const) {
    const next = { ...(meta[kind] ?? {}) };
    for (const key of Object.keys(previous[kind] ?? {})) delete next[key];
    Object.assign(next, desired[kind] ?? {});
    if (JSON.stringify(next) === JSON.stringify(meta[kind] ?? {})) continue;
    changed = true;
    if (Object.keys(next).length === 0) delete meta[kind];
    else meta[kind] = next;
  }
  return changed;
}

/** Makes `rs`'s pod template and existing pods carry `metadata` (and no longer the previous set). */
export async function syncEphemeralMetadata(pass: RolloutPass, rs: ReplicaSetObject | undefined, metadata: PodMetadata | undefined): Promise<void> {
  if (!rs) return;
  const previous = recorded(rs);
  const desired = normalized(metadata);
  if (JSON.stringify(previous) === JSON.stringify(desired) && rs.metadata?.annotations?.[EPHEMERAL_METADATA_ANNOTATION] !== undefined) return;
  if (Object.keys(desired).length === 0 && rs.metadata?.annotations?.[EPHEMERAL_METADATA_ANNOTATION] === undefined) return;
  const copy = structuredClone(rs);
  const template = ((copy.spec ??= { selector: {} }).template ??= {});
  applyEphemeral((template.metadata ??= {}), previous, desired);
  const annotations = { ...(copy.metadata?.annotations ?? {}) };
  if (Object.keys(desired).length === 0) delete annotations[EPHEMERAL_METADATA_ANNOTATION];
  else annotations[EPHEMERAL_METADATA_ANNOTATION] = JSON.stringify(desired);
  (copy.metadata ??= {}).annotations = annotations;
  pass.replaceRS(await pass.deps.replicaSets.update(pass.namespace, copy));

  // Pods made from the old template: the same change in place.
  const pods = await pass.deps.pods.list(pass.namespace, { labelSelector: formatLabelSelector(rs.spec?.selector) });
  for (const pod of pods.items) {
    if (!isControlledBy(pod, rs) || pod.metadata?.deletionTimestamp !== undefined) continue;
    const podCopy = structuredClone(pod);
    if (applyEphemeral((podCopy.metadata ??= {}), previous, desired)) await pass.deps.pods.update(pass.namespace, podCopy);
  }
}

/** Argo's reconcileEphemeralMetadata: each ReplicaSet gets the metadata of the role it has now. */
export async function reconcileEphemeralMetadata(pass: RolloutPass): Promise<void> {
  const strategy = pass.rollout.spec?.strategy;
  const s = pass.status;
  const fullyPromoted = s.stableRS === undefined || s.stableRS === '' || s.stableRS === pass.hash;
  if (strategy?.canary) {
    const canary = strategy.canary;
    if (fullyPromoted) {
      await syncEphemeralMetadata(pass, pass.newRS, canary.stableMetadata);
      return;
    }
    await syncEphemeralMetadata(pass, pass.newRS, canary.canaryMetadata);
    await syncEphemeralMetadata(pass, pass.stableRS, canary.stableMetadata);
  } else if (strategy?.blueGreen) {
    const bg = strategy.blueGreen;
    const active = pass.replicaSetByHash(s.blueGreen?.activeSelector);
    if (fullyPromoted || active === pass.newRS) {
      await syncEphemeralMetadata(pass, pass.newRS, bg.activeMetadata);
      return;
    }
    await syncEphemeralMetadata(pass, pass.newRS, bg.previewMetadata);
    await syncEphemeralMetadata(pass, active, bg.activeMetadata);
  }
}

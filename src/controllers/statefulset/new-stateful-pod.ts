// A new member pod (upstream: newVersionedStatefulSetPod, newStatefulSetPod, initIdentity,
// updateStorage). Its identity comes from the ordinal alone, so a recreated `web-1` is the pod it
// replaces: same name, same hostname, same DNS record `web-1.<serviceName>.<ns>.svc`.
import type { PodTemplateSpec, Volume } from 'kubernetes-types/core/v1.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../framework/controller-history.js';
import { newControllerRef } from '../framework/controller-ref.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { identityLabels, statefulPodName } from './stateful-pod-identity.js';
import { STATEFUL_SET_TYPE, type ResolvedStatefulSetSpec, type StatefulSetObject } from './stateful-set-spec.js';

/** A set at one revision: the template that revision restores, and the revision's name. */
export interface VersionedTemplate {
  readonly template: PodTemplateSpec;
  readonly revision: string;
}

/**
 * Which revision a member created now gets. A rolling update with a partition keeps indexes
 * (ordinal - start) below the partition at the current revision; every other member, and every
 * member under OnDelete, is made at the update revision.
 * Example: start 10, replicas 4, partition 2 -> web-10 and web-11 current, web-12 and web-13 update.
 * A RollingUpdate without a rollingUpdate block uses status.currentReplicas in place of the
 * partition, as upstream: the update goes from the top down, so while 2 of 4 pods are still
 * current those are web-10 and web-11, and one of them deleted now comes back unchanged.
 */
export function templateForOrdinal(
  spec: ResolvedStatefulSetSpec,
  ordinal: number,
  versions: { readonly current: VersionedTemplate; readonly update: VersionedTemplate; readonly currentReplicas: number },
): VersionedTemplate {
  const keptBelow = spec.partition ?? versions.currentReplicas;
  const keepsCurrent = spec.updateStrategy === 'RollingUpdate' && ordinal < spec.startOrdinal + keptBelow;
  return keepsCurrent ? versions.current : versions.update;
}

/**
 * One volume per volumeClaimTemplate, `<claim>-<set>-<ordinal>`, then the template's other
 * volumes. k8ts has no PersistentVolumeClaims and the controller creates none: the volume keeps
 * the pod valid (its volumeMounts name it) and the node agent gives it a directory that lives as
 * long as the pod, so the data does not survive the pod being replaced.
 */
function memberVolumes(set: StatefulSetObject, template: PodTemplateSpec, ordinal: number): Volume[] {
  const claims = (set.spec?.volumeClaimTemplates ?? []).map((claim) => claim.metadata?.name ?? '');
  const claimVolumes: Volume[] = claims.map((claim) => ({
    name: claim,
    persistentVolumeClaim: { claimName: `${claim}-${set.metadata?.name ?? ''}-${ordinal}` },
  }));
  const others = (template.spec?.volumes ?? []).filter((volume) => !claims.includes(volume.name));
  return [...claimVolumes, ...structuredClone(others)];
}

/** The pod for member `ordinal` of `set`, made from `version`. */
export function newStatefulPod(set: StatefulSetObject, spec: ResolvedStatefulSetSpec, version: VersionedTemplate, ordinal: number): Pod {
  const meta = version.template.metadata ?? {};
  const name = statefulPodName(set, ordinal);
  const metadata: NonNullable<Pod['metadata']> = {
    name,
    // Upstream builds members with GetPodFromTemplate, which sets it; the explicit name wins.
    generateName: `${set.metadata?.name ?? ''}-`,
    labels: { ...(meta.labels ?? {}), ...identityLabels(set, ordinal), [CONTROLLER_REVISION_HASH_LABEL]: version.revision },
    ownerReferences: [newControllerRef(set, STATEFUL_SET_TYPE)],
  };
  if (set.metadata?.namespace !== undefined) metadata.namespace = set.metadata.namespace;
  if (meta.annotations !== undefined) metadata.annotations = { ...meta.annotations };
  if (meta.finalizers !== undefined) metadata.finalizers = [...meta.finalizers];
  const podSpec = structuredClone(version.template.spec ?? { containers: [] });
  podSpec.hostname = name;
  if (spec.serviceName !== '') podSpec.subdomain = spec.serviceName;
  const volumes = memberVolumes(set, version.template, ordinal);
  if (volumes.length > 0) podSpec.volumes = volumes;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: podSpec };
}

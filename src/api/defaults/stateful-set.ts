// apps/v1 StatefulSet defaults (upstream: SetDefaults_StatefulSet, the pod template's, and those of
// each volumeClaimTemplates entry), plus the fields Go always serialises: `serviceName` and
// `ordinals.start` have no omitempty, so a client that leaves them out reads back "" and 0, and an
// update that leaves them out changes nothing (StatefulSet specs are mostly immutable).
import type { KubeObject } from '../object.js';
import { ensureRecord, isNil, isRecord, isUnset, recordOf, recordsOf, type JsonRecord } from '../validation/json-access.js';
import { defaultPodTemplateSpec } from './pod-spec.js';

export function defaultStatefulSet(obj: KubeObject): void {
  const spec = ensureRecord(obj, 'spec');
  if (isUnset(spec.podManagementPolicy)) spec.podManagementPolicy = 'OrderedReady';
  defaultUpdateStrategy(ensureRecord(spec, 'updateStrategy'));
  const retention = ensureRecord(spec, 'persistentVolumeClaimRetentionPolicy');
  if (isUnset(retention.whenDeleted)) retention.whenDeleted = 'Retain';
  if (isUnset(retention.whenScaled)) retention.whenScaled = 'Retain';
  if (isNil(spec.replicas)) spec.replicas = 1;
  if (isNil(spec.revisionHistoryLimit)) spec.revisionHistoryLimit = 10;
  if (isNil(spec.serviceName)) spec.serviceName = '';
  const ordinals = recordOf(spec.ordinals);
  if (ordinals !== undefined && isNil(ordinals.start)) ordinals.start = 0;
  if (isRecord(spec.template) || spec.template === undefined) defaultPodTemplateSpec(ensureRecord(spec, 'template'));
  for (const claim of recordsOf(spec.volumeClaimTemplates)) defaultClaimTemplate(claim);
}

/**
 * Only an unset type gets a rollingUpdate block: `type: RollingUpdate` without one stays without
 * one (the controller then treats the partition as 0), as upstream.
 */
function defaultUpdateStrategy(strategy: JsonRecord): void {
  if (isUnset(strategy.type)) {
    strategy.type = 'RollingUpdate';
    if (isNil(strategy.rollingUpdate)) strategy.rollingUpdate = {};
  }
  const rollingUpdate = recordOf(strategy.rollingUpdate);
  if (strategy.type === 'RollingUpdate' && rollingUpdate !== undefined && isNil(rollingUpdate.partition)) rollingUpdate.partition = 0;
}

/**
 * A claim template is a whole PersistentVolumeClaim: it gets a claim's defaults (Filesystem mode,
 * phase Pending) and, as upstream's apps/v1 conversion writes it, its own apiVersion and kind.
 */
function defaultClaimTemplate(claim: JsonRecord): void {
  claim.apiVersion = 'v1';
  claim.kind = 'PersistentVolumeClaim';
  const claimSpec = ensureRecord(claim, 'spec');
  if (isNil(claimSpec.volumeMode)) claimSpec.volumeMode = 'Filesystem';
  const status = ensureRecord(claim, 'status');
  if (isUnset(status.phase)) status.phase = 'Pending';
}

/**
 * A new StatefulSet's status (upstream's PrepareForCreate clears it): the counters Go serialises
 * even at zero, so `kubectl get sts -o yaml` shows them before the controller has run.
 */
export function initialStatefulSetStatus(obj: KubeObject): void {
  obj['status'] = { replicas: 0, availableReplicas: 0 };
}

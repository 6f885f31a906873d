// apps/v1 DaemonSet defaults (upstream: SetDefaults_DaemonSet, then the pod template's). A rolling
// update replaces one node's pod at a time by default: it may take one pod away (maxUnavailable 1)
// and never runs two on a node (maxSurge 0).
import type { KubeObject } from '../object.js';
import { ensureRecord, isNil, isRecord, isUnset } from '../validation/json-access.js';
import { defaultPodTemplateSpec } from './pod-spec.js';

export function defaultDaemonSet(obj: KubeObject): void {
  const spec = ensureRecord(obj, 'spec');
  const strategy = ensureRecord(spec, 'updateStrategy');
  if (isUnset(strategy.type)) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = ensureRecord(strategy, 'rollingUpdate');
    if (isNil(rollingUpdate.maxUnavailable)) rollingUpdate.maxUnavailable = 1;
    if (isNil(rollingUpdate.maxSurge)) rollingUpdate.maxSurge = 0;
  }
  if (isNil(spec.revisionHistoryLimit)) spec.revisionHistoryLimit = 10;
  if (isRecord(spec.template) || spec.template === undefined) defaultPodTemplateSpec(ensureRecord(spec, 'template'));
}

/**
 * A new DaemonSet's status (upstream's PrepareForCreate clears it): the counters Go serialises even
 * at zero, so `kubectl get ds -o yaml` shows them before the controller has run.
 */
export function initialDaemonSetStatus(obj: KubeObject): void {
  obj['status'] = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
}

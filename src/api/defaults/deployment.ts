// apps/v1 Deployment defaults (upstream: pkg/apis/apps/v1/defaults.go SetDefaults_Deployment).
import type { KubeObject } from '../object.js';
import { ensureRecord, isRecord, isUnset } from '../validation/json-access.js';
import { defaultPodTemplateSpec } from './pod-spec.js';

export function defaultDeployment(obj: KubeObject): void {
  const spec = ensureRecord(obj, 'spec');
  if (isUnset(spec.replicas)) spec.replicas = 1;
  const strategy = ensureRecord(spec, 'strategy');
  if (isUnset(strategy.type)) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = ensureRecord(strategy, 'rollingUpdate');
    if (isUnset(rollingUpdate.maxUnavailable)) rollingUpdate.maxUnavailable = '25%';
    if (isUnset(rollingUpdate.maxSurge)) rollingUpdate.maxSurge = '25%';
  }
  if (isUnset(spec.revisionHistoryLimit)) spec.revisionHistoryLimit = 10;
  if (isUnset(spec.progressDeadlineSeconds)) spec.progressDeadlineSeconds = 600;
  if (isRecord(spec.template) || spec.template === undefined) defaultPodTemplateSpec(ensureRecord(spec, 'template'));
}

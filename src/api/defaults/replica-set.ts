// apps/v1 ReplicaSet defaults (upstream: SetDefaults_ReplicaSet).
import type { KubeObject } from '../object.js';
import { ensureRecord, isRecord, isUnset } from '../validation/json-access.js';
import { defaultPodTemplateSpec } from './pod-spec.js';

export function defaultReplicaSet(obj: KubeObject): void {
  const spec = ensureRecord(obj, 'spec');
  if (isUnset(spec.replicas)) spec.replicas = 1;
  if (isRecord(spec.template) || spec.template === undefined) defaultPodTemplateSpec(ensureRecord(spec, 'template'));
}

// core/v1 Namespace defaults: SetDefaults_Namespace (the metadata.name label), SetDefaults_NamespaceStatus
// (phase Active) and the `kubernetes` finalizer the namespace storage adds on create.
import type { KubeObject } from '../object.js';
import { ensureRecord, isUnset, stringOf } from '../validation/json-access.js';

export function defaultNamespace(obj: KubeObject): void {
  const name = stringOf(obj.metadata?.name);
  if (name !== '') {
    const metadata = (obj.metadata ??= {});
    metadata.labels = { ...(metadata.labels ?? {}), 'kubernetes.io/metadata.name': name };
  }
  const spec = ensureRecord(obj, 'spec');
  if (!Array.isArray(spec.finalizers)) spec.finalizers = ['kubernetes'];
  const status = ensureRecord(obj, 'status');
  if (isUnset(status.phase)) status.phase = 'Active';
}

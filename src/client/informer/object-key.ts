// The key every informer, work queue and controller uses for an object: `namespace/name`, or just
// `name` for cluster-scoped objects (client-go's MetaNamespaceKeyFunc).
import type { KubeObject } from '../../api/object.js';

export function objectKey(object: KubeObject): string {
  const name = object.metadata?.name ?? '';
  const namespace = object.metadata?.namespace;
  return namespace ? `${namespace}/${name}` : name;
}

/** `ns/name` -> { namespace: 'ns', name }; `name` -> { namespace: undefined, name }. */
export function splitObjectKey(key: string): { namespace: string | undefined; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

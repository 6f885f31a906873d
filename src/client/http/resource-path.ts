// REST paths of the Kubernetes API: /api/v1 for the core group, /apis/<group>/<version> otherwise,
// then /namespaces/<ns> for namespaced resources (absent: across all namespaces), the resource,
// the name and a subresource.
import type { ResourceType } from '../resource-client.js';

export function resourcePath(type: ResourceType, namespace: string | undefined, name?: string, subresource?: string): string {
  let path = type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
  if (type.namespaced && namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${type.resource}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource !== undefined) path += `/${subresource}`;
  return path;
}

/** `?a=1&b=x` from the defined entries (empty string when there are none). */
export function queryString(params: Readonly<Record<string, string | number | boolean | undefined>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

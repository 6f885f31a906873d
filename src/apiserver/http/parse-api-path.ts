// Turns a URL path into what it addresses, following upstream's RequestInfoFactory:
//   /api | /apis                                  discovery roots
//   /apis/<g>                                     APIGroup
//   /api/v1 | /apis/<g>/<v>                       APIResourceList
//   <gv>/<resource>[/<name>[/<subresource>]]      cluster-scoped, or all namespaces for a list
//   <gv>/namespaces/<ns>/<resource>[/<name>[/<subresource>]]
// `<gv>/namespaces/<ns>` is the Namespace object itself, and `<gv>/namespaces/<ns>/status` (or
// `/finalize`) its subresource, not a collection called "status" (upstream special-cases these).

export type ApiPath =
  | { readonly type: 'discovery-root'; readonly root: 'api' | 'apis' }
  | { readonly type: 'group'; readonly group: string }
  | { readonly type: 'group-version'; readonly group: string; readonly version: string }
  | ResourcePath;

export interface ResourcePath {
  readonly type: 'resource';
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  /** Present when the URL went through `namespaces/<ns>/`. */
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function decodeSegments(pathname: string): string[] | undefined {
  const raw = pathname.split('/').slice(1);
  // A trailing slash leaves an empty last segment; upstream tolerates it.
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  if (raw.includes('')) return undefined;
  // Almost no path has an escape: decoding only those keeps this off the profile of every request.
  if (!pathname.includes('%')) return raw;
  try {
    const segments = raw.map((segment) => decodeURIComponent(segment));
    return segments.includes('') ? undefined : segments;
  } catch {
    return undefined;
  }
}

/** undefined: not an API path (or malformed); the caller answers 404. */
export function parseApiPath(pathname: string): ApiPath | undefined {
  const segments = decodeSegments(pathname);
  if (!segments || segments.length === 0) return undefined;
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api') {
    if (segments.length === 1) return { type: 'discovery-root', root: 'api' };
    group = '';
    version = segments[1] ?? '';
    rest = segments.slice(2);
  } else if (segments[0] === 'apis') {
    if (segments.length === 1) return { type: 'discovery-root', root: 'apis' };
    group = segments[1] ?? '';
    if (segments.length === 2) return { type: 'group', group };
    version = segments[2] ?? '';
    rest = segments.slice(3);
  } else {
    return undefined;
  }
  if (rest.length === 0) return { type: 'group-version', group, version };

  const base = { type: 'resource' as const, group, version };
  if (rest[0] === 'namespaces' && rest.length >= 2) {
    const namespace = rest[1] ?? '';
    if (rest.length === 2) return { ...base, resource: 'namespaces', name: namespace };
    if (rest.length === 3 && NAMESPACE_SUBRESOURCES.has(rest[2] ?? '')) {
      return { ...base, resource: 'namespaces', name: namespace, subresource: rest[2] ?? '' };
    }
    rest = rest.slice(2);
    if (rest.length > 3) return undefined;
    const [resource = '', name, subresource] = rest;
    return {
      ...base,
      resource,
      namespace,
      ...(name !== undefined ? { name } : {}),
      ...(subresource !== undefined ? { subresource } : {}),
    };
  }
  if (rest.length > 3) return undefined;
  const [resource = '', name, subresource] = rest;
  return {
    ...base,
    resource,
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
  };
}

// meta.k8s.io PartialObjectMetadata(List) responses for `Accept: ...;as=PartialObjectMetadata;
// g=meta.k8s.io;v=v1` (and v1beta1): only the metadata of each object, as client-go's metadata
// client, metadata informers and garbage collectors ask for. Upstream copies the whole ObjectMeta
// (managedFields included) and keeps a list's resourceVersion, continue and remainingItemCount.
import type { KubeObject } from '../../api/object.js';
import { NotAcceptableError } from '../registry/api-errors.js';
import type { KubeList, WatchEvent } from '../registry/registry-types.js';

export type MetaVersion = 'v1' | 'v1beta1';

export interface PartialObjectMetadataList {
  apiVersion: string;
  kind: 'PartialObjectMetadataList';
  metadata: KubeList['metadata'];
  items: KubeObject[];
}

export function asPartialObjectMetadata(obj: KubeObject, version: MetaVersion): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: { ...(obj.metadata ?? {}) } };
}

export function asPartialObjectMetadataList(list: KubeList, version: MetaVersion): PartialObjectMetadataList {
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: { ...list.metadata },
    items: list.items.map((item) => asPartialObjectMetadata(item, version)),
  };
}

/** How upstream names the Go type in its 406 messages (`*v1.PodList`). */
function goTypeName(apiVersion: string, kind: string): string {
  const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
  return `*${version}.${kind}`;
}

/** Upstream answers PartialObjectMetadata asked of a list with 406. */
export function partialMetadataOfListNotAcceptable(list: KubeList): NotAcceptableError {
  return new NotAcceptableError(`you requested PartialObjectMetadata, but the requested object is a list (${goTypeName(list.apiVersion, list.kind)})`);
}

/** ... and PartialObjectMetadataList asked of a single object with 406. */
export function partialMetadataListOfObjectNotAcceptable(obj: KubeObject): NotAcceptableError {
  return new NotAcceptableError(
    `you requested PartialObjectMetadataList, but the requested object is not a list (${goTypeName(obj.apiVersion ?? '', obj.kind ?? '')})`,
  );
}

/**
 * A watch event for a metadata watcher: ADDED/MODIFIED/DELETED and BOOKMARK objects become
 * PartialObjectMetadata (a bookmark keeps its resourceVersion and annotations); ERROR keeps its Status.
 */
export function partialMetadataWatchEvent(event: WatchEvent, version: MetaVersion): WatchEvent {
  if (event.type === 'ERROR') return event;
  return { type: event.type, object: asPartialObjectMetadata(event.object, version) };
}

// The garbage collector's view of the object graph: the watched resources' caches, indexed by uid
// and by owner uid, so "the object with uid U" and "the dependents of owner U" are cheap lookups
// in either direction (upstream builds an explicit graph; indexes over the informers give the
// same answers without a second copy of every object).
import type { KubeObject } from '../../api/object.js';
import type { Indexers, Lister } from '../../client/informer/informer.js';
import type { ResourceType } from '../../client/resource-client.js';

export const UID_INDEX = 'garbage-collector/uid';
export const OWNER_UID_INDEX = 'garbage-collector/owner-uid';

/** The indexes every watched informer must carry. */
export const GC_INDEXERS: Indexers<KubeObject> = {
  [UID_INDEX]: (object) => (object.metadata?.uid ? [object.metadata.uid] : []),
  [OWNER_UID_INDEX]: (object) => (object.metadata?.ownerReferences ?? []).map((ref) => ref.uid),
};

/** One watched resource: its type and its (GC-indexed) cache. */
export interface GraphSource {
  readonly type: ResourceType;
  readonly lister: Lister<KubeObject>;
}

export interface GraphNode {
  readonly type: ResourceType;
  readonly object: KubeObject;
}

export class OwnerGraph {
  readonly sources: readonly GraphSource[];

  constructor(options: { readonly sources: readonly GraphSource[] }) {
    this.sources = options.sources;
  }

  /** The cached object with this uid, in any watched resource. */
  find(uid: string): GraphNode | undefined {
    for (const source of this.sources) {
      const [object] = source.lister.byIndex(UID_INDEX, uid);
      if (object !== undefined) return { type: source.type, object };
    }
    return undefined;
  }

  /** Cached objects that list `uid` among their ownerReferences. */
  dependents(uid: string): GraphNode[] {
    return this.sources.flatMap((source) => source.lister.byIndex(OWNER_UID_INDEX, uid).map((object) => ({ type: source.type, object })));
  }

  /** The watched source for a type (by group and resource), if any. */
  sourceFor(type: ResourceType): GraphSource | undefined {
    return this.sources.find((s) => s.type.group === type.group && s.type.resource === type.resource);
  }
}

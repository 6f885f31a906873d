// The declarative facts about one served kind: enough for routing, discovery, OpenAPI and tables.
// Adding a kind means writing one of these plus its strategy (src/apiserver/registry/kinds/).

export interface ScaleInfo {
  /** Dotted paths inside the object, e.g. `spec.replicas`, `status.replicas`. */
  readonly specReplicasPath: string;
  readonly statusReplicasPath: string;
  /** Path of a LabelSelector object (`spec.selector`) whose string form is Scale.status.selector,
   *  or of a string already in that form (CRDs: a Rollout's `status.selector`). */
  readonly labelSelectorPath?: string;
}

export interface KindInfo {
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly listKind: string;
  /** Plural, lower-case: `deployments`. */
  readonly resource: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly subresources: {
    readonly status: boolean;
    readonly scale?: ScaleInfo;
  };
  /** Whether metadata.generation is maintained (set to 1 on create, bumped by spec changes). */
  readonly tracksGeneration: boolean;
}

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;

// A group served by code rather than by the generic registry (metrics.k8s.io: read-only views
// computed on request), described for discovery (discovery-documents.ts) by these facts alone.

export interface StaticApiResource {
  /** Plural, lower-case. */
  readonly resource: string;
  /** '' where upstream's discovery says '' (metrics-server's resources). */
  readonly singular: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

export interface StaticApiGroup {
  readonly name: string;
  readonly version: string;
  readonly resources: readonly StaticApiResource[];
}

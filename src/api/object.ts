// The generic shape of every Kubernetes object k8ts serves. Kind-specific types come from the
// `kubernetes-types` package (e.g. `import type { Deployment } from 'kubernetes-types/apps/v1.js'`: the package has no exports map, so NodeNext needs the .js suffix).
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

export type { ObjectMeta };

/** Any API object: apiVersion/kind, metadata, and kind-specific fields (spec, status, data, ...). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

/** Group/version/kind triple. The core group is the empty string. */
export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** `apps/v1` for (apps, v1), plain `v1` for the core group. */
export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

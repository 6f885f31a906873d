// Where a resource's objects live in the store:
//   /registry/<group, or 'core'>/<resource>/<namespace>/<name>   (namespaced)
//   /registry/<group, or 'core'>/<resource>/<name>               (cluster-scoped)
// Every prefix ends in '/', so `deployments` never matches keys of a `deploymentsfoo` resource.
import type { KindInfo } from '../../api/kind-info.js';

export class ResourceKeys {
  /** `/registry/apps/deployments/`: every object of the resource, all namespaces. */
  readonly resourcePrefix: string;
  readonly #namespaced: boolean;

  /** `storedAs`: another resource's keys (a kind with a StorageMapping, e.g. events.k8s.io Events). */
  constructor(options: { info: KindInfo; storedAs?: { readonly group: string; readonly resource: string } | undefined }) {
    const where = options.storedAs ?? options.info;
    const group = where.group === '' ? 'core' : where.group;
    this.resourcePrefix = `/registry/${group}/${where.resource}/`;
    this.#namespaced = options.info.namespaced;
  }

  /** The prefix a list or watch reads: one namespace, or (undefined/cluster-scoped) all of them. */
  listPrefix(namespace: string | undefined): string {
    return this.#namespaced && namespace ? `${this.resourcePrefix}${namespace}/` : this.resourcePrefix;
  }

  objectKey(namespace: string | undefined, name: string): string {
    return this.#namespaced ? `${this.resourcePrefix}${namespace ?? ''}/${name}` : `${this.resourcePrefix}${name}`;
  }

  /** The key without the resource prefix (`default/web`): what continue tokens carry. */
  relative(key: string): string {
    return key.startsWith(this.resourcePrefix) ? key.slice(this.resourcePrefix.length) : key;
  }
}

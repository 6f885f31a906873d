// Lister over an informer's ObjectCache: read-only lookups, by key, namespace, labels or index.
import type { KubeObject } from '../../api/object.js';
import { matchesLabels, parseLabelSelector } from '../../api/selectors/label-selector.js';
import type { Lister } from './informer.js';
import { NAMESPACE_INDEX, type ObjectCache } from './object-cache.js';

export class CacheLister<T extends KubeObject> implements Lister<T> {
  private readonly cache: ObjectCache<T>;

  constructor(options: { cache: ObjectCache<T> }) {
    this.cache = options.cache;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  list(options: { readonly namespace?: string; readonly labelSelector?: string } = {}): T[] {
    const candidates = options.namespace === undefined ? this.cache.list() : this.cache.byIndex(NAMESPACE_INDEX, options.namespace);
    if (!options.labelSelector) return candidates;
    const selector = parseLabelSelector(options.labelSelector);
    return candidates.filter((object) => matchesLabels(selector, object.metadata?.labels));
  }

  byIndex(indexName: string, value: string): T[] {
    return this.cache.byIndex(indexName, value);
  }
}

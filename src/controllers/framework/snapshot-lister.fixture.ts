// For controller tests: a Lister over a ResourceClient (usually FakeClientSet) that only changes
// when `sync()` is called, so a test decides exactly how stale the "cache" is.
import type { KubeObject } from '../../api/object.js';
import { matchesLabels, parseLabelSelector } from '../../api/selectors/label-selector.js';
import type { Indexers, Lister } from '../../client/informer/informer.js';
import type { ResourceClient } from '../../client/resource-client.js';

export class SnapshotLister<T extends KubeObject> implements Lister<T> {
  private readonly client: ResourceClient<T>;
  private readonly indexers: Indexers<T>;
  private objects: T[] = [];

  constructor(client: ResourceClient<T>, indexers: Indexers<T> = {}) {
    this.client = client;
    this.indexers = indexers;
  }

  /** Re-reads every object from the client. */
  async sync(): Promise<this> {
    this.objects = (await this.client.list(undefined)).items;
    return this;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.objects.find((o) => o.metadata?.name === name && o.metadata.namespace === namespace);
  }

  list(options: { readonly namespace?: string; readonly labelSelector?: string } = {}): T[] {
    const selector = parseLabelSelector(options.labelSelector ?? '');
    return this.objects.filter((o) =>
      (options.namespace === undefined || o.metadata?.namespace === options.namespace) && matchesLabels(selector, o.metadata?.labels));
  }

  byIndex(indexName: string, value: string): T[] {
    const index = this.indexers[indexName];
    if (index === undefined) throw new Error(`no index ${indexName}`);
    return this.objects.filter((o) => index(o).includes(value));
  }
}

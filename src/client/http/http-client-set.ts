// HttpClientSet: the ClientSet of a component that talks to the API server over HTTPS (agents,
// CLI, controllers on another machine). One keep-alive connection pool for every resource.
import type { KubeObject } from '../../api/object.js';
import type { ClientSet, ResourceClient, ResourceType } from '../resource-client.js';
import { HttpResourceClient } from './http-resource-client.js';
import { type HttpClientSetOptions, HttpTransport } from './http-transport.js';

export type { HttpClientSetOptions } from './http-transport.js';

export class HttpClientSet implements ClientSet {
  private readonly transport: HttpTransport;
  private readonly clients = new Map<string, HttpResourceClient>();
  private readonly fieldManager: string | undefined;

  constructor(options: HttpClientSetOptions) {
    this.transport = new HttpTransport(options);
    this.fieldManager = options.fieldManager;
  }

  resource<T extends KubeObject = KubeObject>(type: ResourceType): ResourceClient<T> {
    const key = `${type.group}/${type.version}/${type.resource}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new HttpResourceClient({ type, transport: this.transport, ...(this.fieldManager !== undefined ? { fieldManager: this.fieldManager } : {}) });
      this.clients.set(key, client);
    }
    return client as unknown as ResourceClient<T>;
  }

  /** Raw GET of any API path (discovery, /version, /healthz), parsed as JSON. */
  getPath(path: string, signal?: AbortSignal): Promise<unknown> {
    return this.transport.request('GET', path, signal ? { signal } : {});
  }

  /** Closes idle connections (open watches end with their signals). */
  close(): void {
    this.transport.close();
  }
}

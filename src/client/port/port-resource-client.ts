// One resource's client over a MessagePort: every method is a `call` message naming the
// ResourceClient method and its arguments (see port-client-set.ts for the transport).
import type { KubeObject } from '../../api/object.js';
import type {
  ClientDeleteOptions, ClientListOptions, ClientPatchOptions, ClientPatchType, ClientWatchEvent, ClientWatchOptions, ClientWriteOptions,
  ObjectList, ResourceClient, ResourceType,
} from '../resource-client.js';
import type { PortOperation } from './port-protocol.js';

/** What a PortResourceClient needs from its client set. */
export interface PortTransport {
  call(type: ResourceType, op: PortOperation, args: readonly unknown[]): Promise<unknown>;
  watch(type: ResourceType, namespace: string | undefined, options: ClientWatchOptions): AsyncIterable<ClientWatchEvent<KubeObject>>;
}

export class PortResourceClient<T extends KubeObject> implements ResourceClient<T> {
  readonly type: ResourceType;
  readonly #transport: PortTransport;

  constructor(options: { readonly type: ResourceType; readonly transport: PortTransport }) {
    this.type = options.type;
    this.#transport = options.transport;
  }

  #call<R>(op: PortOperation, args: readonly unknown[]): Promise<R> {
    return this.#transport.call(this.type, op, args) as Promise<R>;
  }

  get(namespace: string | undefined, name: string): Promise<T> {
    return this.#call('get', [namespace, name]);
  }

  getScale(namespace: string | undefined, name: string): Promise<KubeObject> {
    return this.#call('getScale', [namespace, name]);
  }

  list(namespace: string | undefined, options?: ClientListOptions): Promise<ObjectList<T>> {
    return this.#call('list', [namespace, options]);
  }

  create(namespace: string | undefined, object: T, options?: ClientWriteOptions): Promise<T> {
    return this.#call('create', [namespace, object, options]);
  }

  update(namespace: string | undefined, object: T, options?: ClientWriteOptions): Promise<T> {
    return this.#call('update', [namespace, object, options]);
  }

  updateStatus(namespace: string | undefined, object: T, options?: ClientWriteOptions): Promise<T> {
    return this.#call('updateStatus', [namespace, object, options]);
  }

  patch(namespace: string | undefined, name: string, type: ClientPatchType, patch: unknown, options?: ClientPatchOptions): Promise<T> {
    return this.#call('patch', [namespace, name, type, patch, options]);
  }

  delete(namespace: string | undefined, name: string, options?: ClientDeleteOptions): Promise<T> {
    return this.#call('delete', [namespace, name, options]);
  }

  watch(namespace: string | undefined, options: ClientWatchOptions): AsyncIterable<ClientWatchEvent<T>> {
    return this.#transport.watch(this.type, namespace, options) as AsyncIterable<ClientWatchEvent<T>>;
  }

  createSubresource(namespace: string | undefined, name: string, subresource: string, body: KubeObject): Promise<KubeObject> {
    return this.#call('createSubresource', [namespace, name, subresource, body]);
  }
}

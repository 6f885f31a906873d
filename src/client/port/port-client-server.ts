// PortClientServer: answers a PortClientSet's calls and watches from any ClientSet (in `k8ts
// server`: the in-process one), on the thread that owns that ClientSet. Replies are queued and
// posted as one array per event-loop turn: the per-message cost of postMessage (and of the
// receiver's message event) is paid once per batch, not once per watch event. Each object is
// still copied once (structured clone) when the batch is posted, so the serving side asks its
// client for read-only results (no copy of its own: the clone is the copy).
import type { MessagePort } from 'node:worker_threads';
import type { KubeObject } from '../../api/object.js';
import { BadRequestError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type {
  ClientDeleteOptions, ClientListOptions, ClientPatchType, ClientSet, ClientWriteOptions, ResourceClient,
} from '../resource-client.js';
import { failureOf } from './port-errors.js';
import { isPortRequest, type PortOperation, type PortReply, type PortRequest } from './port-protocol.js';

export interface PortClientServerOptions {
  /** The serving end of the channel; a PortClientSet holds the other. */
  readonly port: MessagePort;
  readonly clients: ClientSet;
  readonly logger: Logger;
  /**
   * Leave metadata.managedFields out of every object sent (watch events, list items, answers), for
   * a component that never reads them and writes only by patch (upstream's controller manager
   * trims them from its informers for the same reason). A pod then costs ~25% less to post.
   */
  readonly omitManagedFields?: boolean;
  /**
   * The JSON text of a watched object when the serving side has it without serializing (the API
   * server's watch cache does for most objects); such events are posted as text (`event-json`).
   */
  readonly jsonOf?: (object: KubeObject) => string | undefined;
}

export class PortClientServer {
  readonly #port: MessagePort;
  readonly #clients: ClientSet;
  readonly #logger: Logger;
  readonly #trim: <V>(value: V) => V;
  readonly #omitManagedFields: boolean;
  readonly #jsonOf: ((object: KubeObject) => string | undefined) | undefined;
  readonly #watches = new Map<number, AbortController>();
  readonly #onMessage = (message: unknown): void => this.#receive(message);
  #outbox: PortReply[] = [];
  #flushing: NodeJS.Immediate | undefined;
  #closed = false;

  constructor(options: PortClientServerOptions) {
    this.#port = options.port;
    this.#clients = options.clients;
    this.#logger = options.logger;
    this.#omitManagedFields = options.omitManagedFields === true;
    this.#trim = this.#omitManagedFields ? withoutManagedFields : (value) => value;
    this.#jsonOf = options.jsonOf;
    this.#port.on('message', this.#onMessage);
  }

  /** Watches being served (tests check that a cancel ends them). */
  get watchCount(): number {
    return this.#watches.size;
  }

  /** Stops every watch, drops unsent replies and closes the port. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#port.off('message', this.#onMessage);
    for (const watch of this.#watches.values()) watch.abort();
    this.#watches.clear();
    if (this.#flushing) clearImmediate(this.#flushing);
    this.#outbox = [];
    this.#port.close();
  }

  #receive(message: unknown): void {
    if (!isPortRequest(message)) {
      this.#logger.warn({ message }, 'ignoring an unknown message on the client port');
      return;
    }
    switch (message.t) {
      case 'call':
        this.#call(message);
        break;
      case 'watch':
        void this.#watch(message);
        break;
      case 'cancel':
        this.#watches.get(message.id)?.abort();
        this.#watches.delete(message.id);
        break;
    }
  }

  #call(request: Extract<PortRequest, { t: 'call' }>): void {
    const { id } = request;
    let result: Promise<unknown>;
    try {
      result = invoke(this.#clients.resource(request.type), request.op, request.args);
    } catch (error) {
      // A synchronous throw (an unknown operation) is answered like a rejected call.
      result = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    result.then(
      (value) => this.#send({ t: 'ok', id, value: request.op === 'list' ? this.#trimList(value) : this.#trim(value) }),
      (error: unknown) => this.#send({ t: 'fail', id, ...failureOf(error) }),
    );
  }

  async #watch(request: Extract<PortRequest, { t: 'watch' }>): Promise<void> {
    const { id } = request;
    const controller = new AbortController();
    this.#watches.set(id, controller);
    const { signal } = controller;
    try {
      // The batch is cloned when posted: the watch's shared, frozen objects need no copy of their own.
      const events = this.#clients.resource(request.type).watch(request.namespace, { ...request.options, readOnly: true, signal });
      for await (const event of events) {
        if (signal.aborted) return;
        const json = this.#jsonOf?.(event.object);
        if (json === undefined) this.#send({ t: 'event', id, event: { type: event.type, object: this.#trim(event.object) } });
        else this.#send({ t: 'event-json', id, type: event.type, json, omitManagedFields: this.#omitManagedFields });
      }
      if (!signal.aborted) this.#send({ t: 'end', id });
    } catch (error) {
      if (!signal.aborted) this.#send({ t: 'fail', id, ...failureOf(error) });
    } finally {
      if (this.#watches.get(id) === controller) this.#watches.delete(id);
    }
  }

  #trimList(value: unknown): unknown {
    const list = value as { items?: unknown } | null;
    if (!Array.isArray(list?.items)) return value;
    return { ...list, items: list.items.map(this.#trim) };
  }

  #send(reply: PortReply): void {
    if (this.#closed) return;
    this.#outbox.push(reply);
    this.#flushing ??= setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#flushing = undefined;
    const batch = this.#outbox;
    this.#outbox = [];
    if (batch.length > 0 && !this.#closed) this.#port.postMessage(batch);
  }
}

/**
 * The object without metadata.managedFields: a shallow copy (objects here may be shared and
 * frozen, and are cloned when posted anyway).
 */
function withoutManagedFields<V>(value: V): V {
  const metadata = (value as { metadata?: { managedFields?: unknown } } | null)?.metadata;
  if (metadata?.managedFields === undefined) return value;
  const { managedFields, ...rest } = metadata;
  void managedFields;
  return { ...value, metadata: rest };
}

/** Calls the ResourceClient method a `call` message names. */
function invoke(client: ResourceClient<KubeObject>, op: PortOperation, args: readonly unknown[]): Promise<unknown> {
  const namespace = args[0] as string | undefined;
  switch (op) {
    case 'get':
      return client.get(namespace, args[1] as string);
    case 'getScale':
      return client.getScale(namespace, args[1] as string);
    case 'list':
      return client.list(namespace, { ...(args[1] as ClientListOptions | undefined), readOnly: true });
    case 'create':
      return client.create(namespace, args[1] as KubeObject, readOnly(args[2]));
    case 'update':
      return client.update(namespace, args[1] as KubeObject, readOnly(args[2]));
    case 'updateStatus':
      return client.updateStatus(namespace, args[1] as KubeObject, readOnly(args[2]));
    case 'patch':
      return client.patch(namespace, args[1] as string, args[2] as ClientPatchType, args[3], readOnly(args[4]));
    case 'delete':
      return client.delete(namespace, args[1] as string, args[2] as ClientDeleteOptions | undefined);
    case 'createSubresource':
      return client.createSubresource(namespace, args[1] as string, args[2] as string, args[3] as KubeObject);
    default:
      throw new BadRequestError(`unknown client operation ${JSON.stringify(op)}`);
  }
}

/** The answer is cloned when posted, so the client may hand out its own object. */
function readOnly(options: unknown): ClientWriteOptions {
  return { ...(options as ClientWriteOptions | undefined), readOnly: true };
}

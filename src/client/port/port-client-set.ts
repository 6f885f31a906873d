// PortClientSet: a ClientSet for a component running on its own thread (worker_threads), talking
// over one MessagePort to a PortClientServer on the API server's thread. Calls are posted at once,
// so the object is copied (structured clone) when the method is called, as the in-process and HTTP
// clients take their copy before returning; answers and watch events come back in batches, in the
// order the serving side produced them. Errors arrive as Statuses and are rebuilt into the same
// typed errors the other clients throw (port-errors.ts). A watch honours its AbortSignal by sending
// `cancel`, which ends the serving side's watch too.
import type { MessagePort } from 'node:worker_threads';
import type { KubeObject } from '../../api/object.js';
import { UnavailableError } from '../../lib/errors.js';
import type { ClientSet, ClientWatchEvent, ClientWatchOptions, ResourceClient, ResourceType } from '../resource-client.js';
import { errorOf } from './port-errors.js';
import type { PortFailure, PortOperation, PortReply, PortRequest } from './port-protocol.js';
import { PortResourceClient, type PortTransport } from './port-resource-client.js';

export interface PortClientSetOptions {
  /** The calling end of a channel whose other end a PortClientServer serves. */
  readonly port: MessagePort;
}

interface PendingCall {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** Where a watch's replies go until its iterator drains them. */
interface WatchInbox {
  events: ClientWatchEvent<KubeObject>[];
  ended: boolean;
  failure: Error | undefined;
  wake: (() => void) | undefined;
}

export class PortClientSet implements ClientSet, PortTransport {
  readonly #port: MessagePort;
  readonly #calls = new Map<number, PendingCall>();
  readonly #watches = new Map<number, WatchInbox>();
  readonly #clients = new Map<string, PortResourceClient<KubeObject>>();
  readonly #onMessage = (batch: unknown): void => this.#receive(batch as readonly PortReply[]);
  #nextId = 1;
  #closed = false;

  constructor(options: PortClientSetOptions) {
    this.#port = options.port;
    this.#port.on('message', this.#onMessage);
  }

  resource<T extends KubeObject = KubeObject>(type: ResourceType): ResourceClient<T> {
    const key = `${type.group}/${type.version}/${type.resource}`;
    let client = this.#clients.get(key);
    if (!client) {
      client = new PortResourceClient({ type, transport: this });
      this.#clients.set(key, client);
    }
    return client as unknown as ResourceClient<T>;
  }

  /** Calls and watches in flight (tests check that nothing leaks). */
  get inFlight(): { readonly calls: number; readonly watches: number } {
    return { calls: this.#calls.size, watches: this.#watches.size };
  }

  call(type: ResourceType, op: PortOperation, args: readonly unknown[]): Promise<unknown> {
    if (this.#closed) return Promise.reject(new UnavailableError('the client is closed'));
    const id = this.#nextId++;
    return new Promise<unknown>((resolve, reject) => {
      this.#calls.set(id, { resolve, reject });
      this.#post({ t: 'call', id, type, op, args });
    });
  }

  watch(type: ResourceType, namespace: string | undefined, options: ClientWatchOptions): AsyncIterable<ClientWatchEvent<KubeObject>> {
    return { [Symbol.asyncIterator]: () => this.#watch(type, namespace, options) };
  }

  async *#watch(type: ResourceType, namespace: string | undefined, options: ClientWatchOptions): AsyncGenerator<ClientWatchEvent<KubeObject>> {
    const { signal, ...sent } = options;
    if (signal.aborted) return;
    if (this.#closed) throw new UnavailableError('the client is closed');
    const id = this.#nextId++;
    const inbox: WatchInbox = { events: [], ended: false, failure: undefined, wake: undefined };
    this.#watches.set(id, inbox);
    const onAbort = (): void => inbox.wake?.();
    signal.addEventListener('abort', onAbort, { once: true });
    this.#post({ t: 'watch', id, type, namespace, options: sent });
    try {
      for (;;) {
        if (signal.aborted) return;
        if (inbox.events.length > 0) {
          const events = inbox.events;
          inbox.events = [];
          for (const event of events) {
            if (signal.aborted) return;
            yield event;
          }
          continue;
        }
        if (inbox.failure) throw inbox.failure;
        if (inbox.ended) return;
        await new Promise<void>((resolve) => (inbox.wake = resolve));
        inbox.wake = undefined;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      // Still registered: the serving side has not ended it, so tell it to (abort or a consumer
      // that stopped iterating).
      if (this.#watches.delete(id) && !this.#closed) this.#post({ t: 'cancel', id });
    }
  }

  /**
   * Fails calls in flight and ends watches with UnavailableError, and closes the port. The serving
   * side sees its watches cancelled when it closes its end.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#port.off('message', this.#onMessage);
    this.#port.close();
    const error = new UnavailableError('the client is closed');
    for (const call of this.#calls.values()) call.reject(error);
    this.#calls.clear();
    for (const inbox of this.#watches.values()) {
      inbox.failure = error;
      inbox.wake?.();
    }
  }

  #post(request: PortRequest): void {
    this.#port.postMessage(request);
  }

  #receive(batch: readonly PortReply[]): void {
    for (const reply of batch) {
      switch (reply.t) {
        case 'ok':
          this.#settle(reply.id)?.resolve(reply.value);
          break;
        case 'fail': {
          const call = this.#settle(reply.id);
          if (call) call.reject(errorOf(reply));
          else this.#endWatch(reply.id, reply);
          break;
        }
        case 'event': {
          const inbox = this.#watches.get(reply.id);
          if (!inbox) break;
          inbox.events.push(reply.event);
          inbox.wake?.();
          break;
        }
        case 'event-json': {
          const inbox = this.#watches.get(reply.id);
          if (!inbox) break;
          inbox.events.push({ type: reply.type, object: parseObject(reply.json, reply.omitManagedFields) });
          inbox.wake?.();
          break;
        }
        case 'end':
          this.#endWatch(reply.id, undefined);
          break;
      }
    }
  }

  #settle(id: number): PendingCall | undefined {
    const call = this.#calls.get(id);
    this.#calls.delete(id);
    return call;
  }

  #endWatch(id: number, failure: PortFailure | undefined): void {
    const inbox = this.#watches.get(id);
    if (!inbox) return;
    // Ended by the serving side: nothing to cancel any more.
    this.#watches.delete(id);
    inbox.ended = true;
    if (failure) inbox.failure = errorOf(failure);
    inbox.wake?.();
  }
}

/** A watched object posted as text: parsed here (this thread's copy), without managedFields if asked. */
function parseObject(json: string, omitManagedFields: boolean): KubeObject {
  const object = JSON.parse(json) as KubeObject;
  if (omitManagedFields && object.metadata) delete object.metadata.managedFields;
  return object;
}

// The messages between a PortClientSet (a component on its own thread) and the PortClientServer
// that answers it from a ClientSet on the API server's thread. Everything is a plain object that
// postMessage copies by structured clone. One port carries calls, their answers and watch events,
// so they arrive in the order the serving side produced them (a binding's answer and the pod's
// MODIFIED event keep their order, as with the in-process client).
import type { KubeObject } from '../../api/object.js';
import type { StatusObject } from '../api-status-error.js';
import type { ClientWatchEvent, ClientWatchEventType, ClientWatchOptions, ResourceType } from '../resource-client.js';

export type PortOperation = 'get' | 'getScale' | 'list' | 'create' | 'update' | 'updateStatus' | 'patch' | 'delete' | 'createSubresource';

/** ClientWatchOptions as sent: the signal stays on the calling side (a `cancel` stands for it). */
export type PortWatchOptions = Omit<ClientWatchOptions, 'signal'>;

/** Calling side -> serving side, one message per request (posted at once, see PortClientSet). */
export type PortRequest =
  | {
    readonly t: 'call';
    readonly id: number;
    readonly type: ResourceType;
    readonly op: PortOperation;
    /** The ResourceClient method's arguments, in order. */
    readonly args: readonly unknown[];
  }
  | { readonly t: 'watch'; readonly id: number; readonly type: ResourceType; readonly namespace: string | undefined; readonly options: PortWatchOptions }
  | { readonly t: 'cancel'; readonly id: number };

/** A failure: the Kubernetes Status the HTTP API would have answered, rebuilt into the same typed error. */
export interface PortFailure {
  readonly status: StatusObject;
  /** ConflictError.currentRevision, which a Status does not carry. */
  readonly currentRevision?: number;
}

/** Serving side -> calling side, posted as arrays (PortReply[]): a batch per event-loop turn. */
export type PortReply =
  | { readonly t: 'ok'; readonly id: number; readonly value: unknown }
  | ({ readonly t: 'fail'; readonly id: number } & PortFailure)
  | { readonly t: 'event'; readonly id: number; readonly event: ClientWatchEvent<KubeObject> }
  /**
   * A watch event whose object the serving side already had as JSON text (PortClientServerOptions
   * .jsonOf): posting a string is a copy, not a structured clone of the object, and the parse
   * happens on the receiving thread, which drops metadata.managedFields when `omitManagedFields`.
   */
  | { readonly t: 'event-json'; readonly id: number; readonly type: ClientWatchEventType; readonly json: string; readonly omitManagedFields: boolean }
  /** The watch ended without error (the serving side's stream ended). */
  | { readonly t: 'end'; readonly id: number };

export function isPortRequest(value: unknown): value is PortRequest {
  const t = (value as { t?: unknown } | null)?.t;
  return t === 'call' || t === 'watch' || t === 'cancel';
}

// Messages between the gateway supervisor (the primary) and its worker processes, over the
// cluster IPC channel (structured-clone-safe plain data).
import type { MetricsSnapshot } from './backend-metrics.js';
import type { RouteTable } from './route-table.js';

export type ToWorker =
  | { readonly type: 'gateway:table'; readonly table: RouteTable }
  | { readonly type: 'gateway:snapshot'; readonly id: number }
  | { readonly type: 'gateway:shutdown'; readonly graceMs: number };

export type FromWorker =
  | { readonly type: 'gateway:ready' }
  | {
      readonly type: 'gateway:applied';
      readonly version: number;
      readonly bound: readonly number[];
      readonly failed: readonly { readonly port: number; readonly code: string }[];
    }
  | { readonly type: 'gateway:table-error'; readonly version: number; readonly message: string }
  | { readonly type: 'gateway:snapshot'; readonly id: number; readonly snapshot: MetricsSnapshot };

/** Environment variables the supervisor passes to its workers. */
export const WORKER_ENV = {
  address: 'K8TS_GATEWAY_ADDRESS',
  logLevel: 'K8TS_GATEWAY_LOG_LEVEL',
} as const;

export function isFromWorker(message: unknown): message is FromWorker {
  return typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string' && (message as { type: string }).type.startsWith('gateway:');
}

export function isToWorker(message: unknown): message is ToWorker {
  return isFromWorker(message);
}

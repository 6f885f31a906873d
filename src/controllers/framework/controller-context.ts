// What every controller is built from, and how it plugs into the shared runner.
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { EventRecorder } from '../../client/events/event-recorder.js';
import type { InformerFactory } from '../../client/informer/informer.js';
import type { ClientSet } from '../../client/resource-client.js';
import type { Reconciler } from './reconciler.js';

export interface ControllerContext {
  readonly clients: ClientSet;
  readonly informers: InformerFactory;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly recorder: EventRecorder;
  /** Ends with the leadership term: what a registration subscribes to outside its informers ends here. */
  readonly signal: AbortSignal;
}

export interface ControllerRegistration {
  readonly reconciler: Reconciler;
  /** Connects informer handlers to the queue: they only turn objects into keys and enqueue them. */
  connect(enqueue: (key: string) => void, enqueueAfter: (key: string, delayMs: number) => void): void;
  /** Concurrent workers (default 2). */
  readonly workers?: number;
}

/** A controller module exports one of these: `export const deploymentController: ControllerFactory`. */
export type ControllerFactory = (context: ControllerContext) => ControllerRegistration;

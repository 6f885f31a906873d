// Streams one watch (kubectl-wire §5): 200 with headers flushed at once (client-go blocks until
// it sees them, §3.9), then one JSON event per line until the registry's stream ends, the
// timeout passes, the client goes away, or the server shuts down (closeAll).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { CompactedError, K8tsError } from '../../lib/errors.js';
import type { ApiMetrics } from '../metrics/api-metrics.js';
import type { ResourceRegistry, WatchEvent, WatchQuery } from '../registry/registry-types.js';
import { statusFromError } from '../status.js';
import { sendError } from './respond.js';
import type { WatchEventEncoder, WatchRepresentation } from './watch-event-encoder.js';

export interface WatchRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly registry: ResourceRegistry;
  readonly namespace: string | undefined;
  readonly query: Omit<WatchQuery, 'signal'>;
  readonly timeoutSeconds?: number;
  readonly representation: WatchRepresentation;
}

/** Without timeoutSeconds upstream ends watches after a random 30-60 min so reconnects spread out. */
const DEFAULT_MIN_TIMEOUT_SECONDS = 1800;

/**
 * How many bytes of events a watch may have queued for its socket before it waits for 'drain'.
 * Not Node's 16 KiB default: a TLS socket's writes complete on a later turn of the event loop, so
 * under load (a turn busy with many requests) a watch waiting at 16 KiB sent ~5 events per turn,
 * fell behind a burst of writes by seconds and was cut off at its queue limit. A slow client still
 * stops the stream here, and its WatcherQueue bounds what waits behind it.
 */
const WATCH_SEND_BUFFER_BYTES = 1024 * 1024;

/** Whether the first step of a watch failed quickly enough to answer with a plain error status. */
const EARLY = Symbol('early');

export class WatchStreams {
  readonly #open = new Set<AbortController>();
  readonly #encoder: WatchEventEncoder;
  readonly #metrics: ApiMetrics;
  readonly #clock: Clock;
  readonly #logger: Logger;

  constructor(options: { encoder: WatchEventEncoder; metrics: ApiMetrics; clock: Clock; logger: Logger }) {
    this.#encoder = options.encoder;
    this.#metrics = options.metrics;
    this.#clock = options.clock;
    this.#logger = options.logger;
  }

  get openCount(): number {
    return this.#open.size;
  }

  /** Ends every open watch (server shutdown). */
  closeAll(): void {
    for (const controller of this.#open) controller.abort();
  }

  /** Resolves with the HTTP status code once the stream has ended. */
  async serve(request: WatchRequest): Promise<number> {
    const { res, registry } = request;
    const controller = new AbortController();
    const signal = controller.signal;
    const resource = registry.strategy.info.resource;
    const timeoutSeconds = request.timeoutSeconds ?? DEFAULT_MIN_TIMEOUT_SECONDS * (1 + Math.random());
    const timer = setTimeout(() => controller.abort(), timeoutSeconds * 1000);
    const onClose = () => controller.abort();
    res.on('close', onClose);
    this.#open.add(controller);
    this.#metrics.watchOpened(resource);
    let iterator: AsyncIterator<WatchEvent> | undefined;
    try {
      iterator = registry.watch(request.namespace, { ...request.query, signal })[Symbol.asyncIterator]();
      // Bad selectors and the like fail on the first step, usually without I/O: give that one
      // macrotask to happen so the client gets a plain 400 rather than a 200 stream with an error.
      const first = iterator.next();
      const early = await Promise.race([
        first.then(
          (result) => ({ result }),
          (error: unknown) => ({ error }),
        ),
        new Promise<typeof EARLY>((resolve) => setImmediate(() => resolve(EARLY))),
      ]);
      if (early !== EARLY && 'error' in early && !isExpired(early.error)) return sendError(res, early.error);

      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
      res.flushHeaders();
      // Do not rely on the registry noticing the abort promptly: stop waiting as soon as it fires.
      const aborted = new Promise<IteratorResult<WatchEvent>>((resolve) => {
        const stop = () => resolve({ done: true, value: undefined });
        if (signal.aborted) stop();
        else signal.addEventListener('abort', stop, { once: true });
      });
      let step: Promise<IteratorResult<WatchEvent>> = first;
      while (!signal.aborted) {
        const result = await Promise.race([step, aborted]);
        if (result.done) break;
        const line = this.#encoder.encode(result.value, request.representation, registry.strategy, () => this.#clock.now());
        if (!res.write(line) && res.writableLength > WATCH_SEND_BUFFER_BYTES) await drained(res, signal);
        step = iterator.next();
        // When the abort wins the race, a later rejection of this step must not go unhandled.
        step.catch(() => undefined);
      }
      return 200;
    } catch (error) {
      if (signal.aborted) return 200;
      if (!res.headersSent) return sendError(res, error);
      // The stream is open: report the failure as an ERROR event (410 Expired makes clients relist).
      const { status } = statusFromError(error);
      res.write(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
      if (!isExpired(error)) this.#logger.warn({ err: error, resource }, 'watch failed');
      return 200;
    } finally {
      clearTimeout(timer);
      res.off('close', onClose);
      this.#open.delete(controller);
      this.#metrics.watchClosed(resource);
      controller.abort();
      // Let the registry release its end of the watch (the abort already asked it to stop).
      void iterator?.return?.().catch(() => undefined);
      if (!res.writableEnded) res.end();
    }
  }
}

function isExpired(error: unknown): boolean {
  return error instanceof CompactedError || (error instanceof K8tsError && error.code === 'Compacted');
}

function drained(res: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    res.on('drain', done);
    signal.addEventListener('abort', done);
  });
}

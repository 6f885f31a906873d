// Runs the scheduler on its own thread (worker_threads), as upstream runs kube-scheduler as its
// own component: its informers, queue and filter/score work then use the second core instead of
// the API server's event loop (bench/README.md, "Pods benchmark"). The worker reaches the API
// through a PortClientSet; this side serves that port from the in-process client set. Used by the
// controller manager's leader task (workloads-host.ts); `--no-scheduler-thread` runs the scheduler
// in-process instead.
//
// Stop: the leader task's signal posts `stop` (the scheduler finishes its bindings in flight), and
// the thread is terminated if it has not ended after a grace period. A thread that dies on its own
// is logged and started again after a pause, as a crashed component is restarted.
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { servedJson } from '../apiserver/registry/served-json.js';
import { PortClientServer } from '../client/port/port-client-server.js';
import type { ClientSet } from '../client/resource-client.js';
import { isLogLevel, type Logger } from '../lib/logger.js';
import { isLogMessage, relog, type SchedulerThreadData, type StopMessage } from './scheduler-thread-protocol.js';

export interface SchedulerThreadOptions {
  /** What the thread's client calls are answered from (the server's in-process `kube-scheduler` set). */
  readonly clients: ClientSet;
  /** The scheduler's logger: the thread's records are logged through it. */
  readonly logger: Logger;
  /** How long a stopping thread may take before it is terminated (default 5 s). */
  readonly graceMs?: number;
  /** The first pause before a dead thread is restarted, doubled per quick death up to 30 s (default 1 s). */
  readonly restartDelayMs?: number;
  /** The worker entry (tests); default scheduler-thread-main next to this module. */
  readonly entry?: { readonly file: string | URL; readonly execArgv: readonly string[] };
}

const DEFAULT_GRACE_MS = 5000;
const DEFAULT_RESTART_DELAY_MS = 1000;
const MAX_RESTART_DELAY_MS = 30_000;
/** A thread that ran this long had not been crash-looping: its next restart waits the first pause again. */
const HEALTHY_RUN_MS = 60_000;

/**
 * The worker entry next to this module. Built: the .js file. From source (tsx): the thread does
 * not inherit this thread's loader hooks, and `--import tsx` alone does not cover the worker's
 * entry module itself in Node 20, so a small bootstrap registers tsx's loader and then imports
 * the .ts entry.
 */
export function schedulerThreadEntry(): { file: string | URL; execArgv: string[] } {
  const self = fileURLToPath(import.meta.url);
  if (!self.endsWith('.ts')) return { file: self.replace(/scheduler-thread\.js$/, 'scheduler-thread-main.js'), execArgv: [] };
  const entry = new URL('./scheduler-thread-main.ts', import.meta.url).href;
  const bootstrap = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(entry)});`;
  return { file: new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), execArgv: ['--import', 'tsx'] };
}

interface ThreadEnd {
  readonly code: number;
  readonly error: unknown;
}

/** Runs the scheduler thread until `signal` aborts, restarting it when it dies. */
export async function runSchedulerThread(options: SchedulerThreadOptions, signal: AbortSignal): Promise<void> {
  const { logger } = options;
  const firstDelayMs = options.restartDelayMs ?? DEFAULT_RESTART_DELAY_MS;
  let delayMs = firstDelayMs;
  while (!signal.aborted) {
    const startedAt = performance.now();
    const end = await runThreadOnce(options, signal);
    if (signal.aborted) return;
    if (performance.now() - startedAt >= HEALTHY_RUN_MS) delayMs = firstDelayMs;
    logger.error({ err: end.error, exitCode: end.code, restartInMs: delayMs }, 'scheduler thread died, restarting it');
    await pause(delayMs, signal);
    delayMs = Math.min(MAX_RESTART_DELAY_MS, delayMs * 2);
  }
}

function runThreadOnce(options: SchedulerThreadOptions, signal: AbortSignal): Promise<ThreadEnd> {
  const { logger } = options;
  const entry = options.entry ?? schedulerThreadEntry();
  const { port1, port2 } = new MessageChannel();
  // The scheduler never reads managedFields and writes only by patch: they are not worth posting.
  // Watch events go as the watch cache's JSON text where it has it: cheaper to post than a clone.
  const server = new PortClientServer({ port: port1, clients: options.clients, logger, omitManagedFields: true, jsonOf: servedJson });
  const data: SchedulerThreadData = { port: port2, logLevel: isLogLevel(logger.level) ? logger.level : 'info' };
  const worker = new Worker(entry.file, { workerData: data, transferList: [port2], execArgv: [...entry.execArgv] });
  return new Promise<ThreadEnd>((resolve) => {
    let error: unknown;
    let terminateTimer: NodeJS.Timeout | undefined;
    const stop = (): void => {
      worker.postMessage({ t: 'stop' } satisfies StopMessage);
      terminateTimer = setTimeout(() => {
        logger.warn({ graceMs: options.graceMs ?? DEFAULT_GRACE_MS }, 'scheduler thread did not stop in time, terminating it');
        void worker.terminate();
      }, options.graceMs ?? DEFAULT_GRACE_MS);
    };
    worker.on('message', (message: unknown) => {
      if (isLogMessage(message)) relog(logger, message.line);
    });
    worker.on('error', (thrown: unknown) => {
      error = thrown;
    });
    worker.once('exit', (code) => {
      clearTimeout(terminateTimer);
      signal.removeEventListener('abort', stop);
      server.close();
      resolve({ code, error });
    });
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

// The gateway's primary side: forks one data-plane worker per core through node:cluster (they
// share each listening port), sends every worker the latest route table, restarts workers that
// die, and gathers their metrics snapshots for the admin server. Proxying in several processes is
// what lets the gateway use every core (issue 5 §8); the primary itself never touches a request.
// It also keeps which listener ports the workers could not bind (EACCES, EADDRINUSE, ...), retries
// them every few seconds, and tells subscribers (the Gateway status controller, wired in
// src/cmd) when that set changes, so a Gateway's status says whether its port really listens.
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../lib/logger.js';
import { mergeSnapshots, type MetricsSnapshot } from './backend-metrics.js';
import { BindFailures } from './bind-failures.js';
import { isFromWorker, WORKER_ENV, type FromWorker, type ToWorker } from './gateway-ipc.js';
import type { RouteTable } from './route-table.js';

export type SchedulingPolicy = 'rr' | 'none';

export interface GatewaySupervisorOptions {
  readonly address: string;
  readonly logger: Logger;
  /** Worker processes (default: the number of cores). */
  readonly workers?: number;
  /**
   * 'none' (default): workers accept from the shared socket themselves; 'rr': the primary accepts
   * and hands connections out round-robin (Node's default on Linux). See bench/README.md.
   */
  readonly scheduling?: SchedulingPolicy;
  /** Log level of the workers (default 'info'). */
  readonly workerLogLevel?: string;
  /** How long a shutting-down worker lets in-flight requests finish (default 10 s). */
  readonly graceMs?: number;
  /** While some listener port is not bound, the table is re-sent this often to retry (default 10 s). */
  readonly rebindIntervalMs?: number;
}

interface WorkerState {
  readonly worker: Worker;
  ready: boolean;
  appliedVersion: number;
  lastSnapshot: MetricsSnapshot | undefined;
  /** Port -> errno code of the wanted ports this worker's last applied table left unbound. */
  failed: ReadonlyMap<number, string>;
}

const RESTART_MIN_MS = 100;
const RESTART_MAX_MS = 5000;
const REBIND_INTERVAL_MS = 10_000;

/**
 * V8 flags of every worker. There is one worker per core, so V8's parallel GC helper threads only
 * take CPU from the other workers at the moment a collection stalls this one. Measured with
 * bench:gateway at 50 connections: the same CPU per request, and a p99 gap to nginx of +0.90 ms
 * (median of 7 runs) against +1.04 ms (12 runs) without it, a difference inside this VM's noise.
 */
const WORKER_V8_FLAGS = ['--single-threaded-gc'];

/** The worker entry next to this module: .ts when running from source (tsx), .js when built. */
function workerEntry(): { exec: string; execArgv: string[] } {
  const self = fileURLToPath(import.meta.url);
  const ts = self.endsWith('.ts');
  return {
    exec: self.replace(/gateway-supervisor\.(ts|js)$/, `gateway-worker-main.${ts ? 'ts' : 'js'}`),
    execArgv: [...(ts ? ['--import', 'tsx'] : []), ...WORKER_V8_FLAGS],
  };
}

export class GatewaySupervisor {
  private readonly options: GatewaySupervisorOptions;
  private readonly logger: Logger;
  private readonly states = new Map<number, WorkerState>();
  private table: RouteTable | undefined;
  private stopping = false;
  private restartDelayMs = RESTART_MIN_MS;
  private nextSnapshotId = 1;
  private readonly snapshotWaiters = new Map<number, (snapshot: MetricsSnapshot | undefined, workerId: number) => void>();
  /** Counts of workers that died: their last snapshot stays in the totals. */
  private readonly departed: MetricsSnapshot[] = [];
  private readyWaiters: (() => void)[] = [];
  private restartTimer: NodeJS.Timeout | undefined;
  private starting: Promise<void> | undefined;
  private readonly bindFailed: BindFailures;
  private rebindTimer: NodeJS.Timeout | undefined;

  constructor(options: GatewaySupervisorOptions) {
    this.options = options;
    this.logger = options.logger;
    this.bindFailed = new BindFailures({ logger: options.logger });
  }

  get workerCount(): number {
    return this.options.workers ?? availableParallelism();
  }

  /** PIDs of the live workers. */
  get workerPids(): readonly number[] {
    return [...this.states.values()].map((s) => s.worker.process.pid ?? 0).filter((pid) => pid > 0);
  }

  /**
   * Forks the workers and waits until each is ready for tables. Called by applyTable for the
   * first table with a listener, so a server without Gateways runs no worker processes.
   */
  start(): Promise<void> {
    this.starting ??= this.forkAll();
    return this.starting;
  }

  private async forkAll(): Promise<void> {
    if (!cluster.isPrimary) throw new Error('the gateway supervisor must run in the primary process');
    cluster.schedulingPolicy = this.options.scheduling === 'rr' ? cluster.SCHED_RR : cluster.SCHED_NONE;
    const entry = workerEntry();
    cluster.setupPrimary({ exec: entry.exec, execArgv: entry.execArgv, args: [] });
    const ready = Array.from({ length: this.workerCount }, () => this.fork());
    await Promise.all(ready);
  }

  /** Wanted listener ports some live worker could not bind, with the errno code. */
  bindFailures(): ReadonlyMap<number, string> {
    return this.bindFailed.failures;
  }

  /** Calls `listener` whenever bindFailures() changes; returns the way to stop. */
  onChange(listener: () => void): () => void {
    return this.bindFailed.subscribe(listener);
  }

  /** Sends `table` to every worker (and to workers started later). */
  applyTable(table: RouteTable): void {
    this.table = table;
    this.updateBindFailures();
    if (this.starting === undefined && table.listeners.length > 0 && !this.stopping) {
      this.start().catch((error: unknown) => this.logger.error({ err: error }, 'cannot start gateway workers'));
    }
    for (const state of this.states.values()) {
      if (state.ready) this.send(state, { type: 'gateway:table', table });
    }
  }

  /**
   * Waits until every live worker applied at least `version` (or `timeoutMs` passed): lets tests
   * and the server know when a table is live. Resolves true when all did.
   */
  async waitForVersion(version: number, timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const states = [...this.states.values()];
      if (states.length > 0 && states.every((s) => s.appliedVersion >= version)) return true;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 20);
        this.readyWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return false;
  }

  /** The merged metrics of all workers (and of workers that died, as they last reported). */
  async snapshot(timeoutMs = 1000): Promise<MetricsSnapshot> {
    const live = [...this.states.values()].filter((s) => s.ready);
    const answers = await Promise.all(live.map((state) => this.askSnapshot(state, timeoutMs)));
    return mergeSnapshots([...this.departed, ...answers.filter((s): s is MetricsSnapshot => s !== undefined)]);
  }

  private askSnapshot(state: WorkerState, timeoutMs: number): Promise<MetricsSnapshot | undefined> {
    const id = this.nextSnapshotId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.snapshotWaiters.delete(id);
        resolve(state.lastSnapshot);
      }, timeoutMs);
      this.snapshotWaiters.set(id, (snapshot) => {
        clearTimeout(timer);
        resolve(snapshot);
      });
      this.send(state, { type: 'gateway:snapshot', id });
    });
  }

  private fork(): Promise<void> {
    return new Promise((resolve) => {
      const worker = cluster.fork({
        [WORKER_ENV.address]: this.options.address,
        [WORKER_ENV.logLevel]: this.options.workerLogLevel ?? 'info',
      });
      const state: WorkerState = { worker, ready: false, appliedVersion: -1, lastSnapshot: undefined, failed: new Map() };
      this.states.set(worker.id, state);
      worker.on('message', (message: unknown) => {
        if (isFromWorker(message)) this.onMessage(state, message, resolve);
      });
      worker.on('exit', (code, signal) => {
        this.states.delete(worker.id);
        if (state.lastSnapshot) this.departed.push(state.lastSnapshot);
        this.updateBindFailures();
        resolve();
        if (this.stopping) return;
        this.logger.warn({ pid: worker.process.pid, code, signal }, 'gateway worker exited; restarting');
        this.scheduleRestart();
      });
      // An error on the IPC channel precedes exit; exit does the bookkeeping.
      worker.on('error', (error) => this.logger.warn({ err: error }, 'gateway worker error'));
    });
  }

  private scheduleRestart(): void {
    const delay = this.restartDelayMs;
    this.restartDelayMs = Math.min(RESTART_MAX_MS, this.restartDelayMs * 2);
    const timer = setTimeout(() => {
      if (this.stopping) return;
      void this.fork().then(() => {
        // A worker that stays up resets the back-off.
        const reset = setTimeout(() => (this.restartDelayMs = RESTART_MIN_MS), 10_000);
        reset.unref();
      });
    }, delay);
    this.restartTimer = timer;
  }

  private onMessage(state: WorkerState, message: FromWorker, ready: () => void): void {
    switch (message.type) {
      case 'gateway:ready':
        state.ready = true;
        if (this.table) this.send(state, { type: 'gateway:table', table: this.table });
        ready();
        break;
      case 'gateway:applied':
        state.appliedVersion = Math.max(state.appliedVersion, message.version);
        state.failed = new Map(message.failed.map((f) => [f.port, f.code]));
        this.updateBindFailures();
        this.wakeReadyWaiters();
        break;
      case 'gateway:table-error':
        this.logger.error({ version: message.version, message: message.message }, 'gateway worker rejected a route table');
        break;
      case 'gateway:snapshot': {
        state.lastSnapshot = message.snapshot;
        const waiter = this.snapshotWaiters.get(message.id);
        this.snapshotWaiters.delete(message.id);
        waiter?.(message.snapshot, state.worker.id);
        break;
      }
    }
  }

  private updateBindFailures(): void {
    const wanted = new Set(this.table?.listeners.map((l) => l.port) ?? []);
    this.bindFailed.update(wanted, [...this.states.values()].map((state) => state.failed));
    this.armRebind();
  }

  /**
   * While a port is unbound, re-sends the current table every rebindIntervalMs: applying it makes
   * each worker try its unbound ports again, so the port binds soon after the other program lets
   * it go, without waiting for the next route change.
   */
  private armRebind(): void {
    if (this.bindFailed.failures.size === 0 || this.stopping) {
      clearInterval(this.rebindTimer);
      this.rebindTimer = undefined;
      return;
    }
    if (this.rebindTimer !== undefined) return;
    this.rebindTimer = setInterval(() => {
      const table = this.table;
      if (table === undefined) return;
      for (const state of this.states.values()) if (state.ready && state.failed.size > 0) this.send(state, { type: 'gateway:table', table });
    }, this.options.rebindIntervalMs ?? REBIND_INTERVAL_MS);
    this.rebindTimer.unref();
  }

  private wakeReadyWaiters(): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const wake of waiters) wake();
  }

  private send(state: WorkerState, message: ToWorker): void {
    if (!state.worker.isConnected()) return;
    state.worker.send(message, (error: Error | null) => {
      if (error) this.logger.debug({ err: error }, 'cannot message gateway worker');
    });
  }

  /** Lets in-flight requests finish, then stops every worker. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.rebindTimer);
    this.rebindTimer = undefined;
    const graceMs = this.options.graceMs ?? 10_000;
    const exits = [...this.states.values()].map(
      (state) =>
        new Promise<void>((resolve) => {
          if (state.worker.isDead()) {
            resolve();
            return;
          }
          const timer = setTimeout(() => state.worker.process.kill('SIGKILL'), graceMs + 2000);
          state.worker.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          this.send(state, { type: 'gateway:shutdown', graceMs });
        }),
    );
    await Promise.all(exits);
  }
}

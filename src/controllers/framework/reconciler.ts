// Reconciler: the one thing a controller writes (DESIGN.md, "How a controller is written").
// The shared runner (src/client/controller-runner.ts) owns the work queue, workers and backoff.

export interface ReconcileResult {
  /** Reconcile this key again after this many milliseconds (waiting, not an error). */
  readonly requeueAfterMs?: number;
}

export interface Reconciler {
  /** A short name for logs and metrics: `deployment`, `replicaset`, ... */
  readonly name: string;
  /**
   * Brings the world one step closer to what `key` (`namespace/name` or `name`) asks for, reading
   * current state from listers. Throwing means "transient: retry with backoff".
   */
  reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult | void>;
}

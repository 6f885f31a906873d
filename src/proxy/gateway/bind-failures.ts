// The listener ports the gateway's workers could not bind, merged over workers, and who to tell
// when that set changes. The supervisor feeds it; the Gateway status controller reads it through
// src/cmd (the controllers' ListenerHealth shape), so a Gateway's status says whether its port
// really listens.
import type { Logger } from '../../lib/logger.js';

export class BindFailures {
  private readonly logger: Logger;
  private current: ReadonlyMap<number, string> = new Map();
  private readonly listeners = new Set<() => void>();

  constructor(options: { readonly logger: Logger }) {
    this.logger = options.logger;
  }

  /** Port -> errno code (EACCES, EADDRINUSE, ...) of each wanted port some worker left unbound. */
  get failures(): ReadonlyMap<number, string> {
    return this.current;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Recomputes from each worker's last report, keeping only ports the table still wants; tells
   * subscribers when the result changed. Workers share each listening socket through the primary,
   * so they normally fail (and recover) together; the first code reported for a port wins.
   */
  update(wanted: ReadonlySet<number>, perWorker: Iterable<ReadonlyMap<number, string>>): void {
    const failed = new Map<number, string>();
    for (const worker of perWorker) {
      for (const [port, code] of worker) if (wanted.has(port) && !failed.has(port)) failed.set(port, code);
    }
    const next = new Map([...failed].sort(([a], [b]) => a - b));
    if (JSON.stringify([...next]) === JSON.stringify([...this.current])) return;
    this.current = next;
    if (next.size > 0) this.logger.warn({ failed: Object.fromEntries(next) }, 'gateway listeners failed to bind');
    else this.logger.info('gateway listeners all bound');
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        this.logger.warn({ err: error }, 'bind failure subscriber failed');
      }
    }
  }
}

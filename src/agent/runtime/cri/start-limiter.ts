// At most N of the expensive CRI calls (RunPodSandbox, StartContainer) at once. On a 2-core node,
// 50 pods started all at once took 10-14 s in total and every pod waited seconds; with 4 at a time
// the same 50 took 6.9 s at ~0.5 s each (containerd-node.md §6). Measured here per call (not per
// pod) on a machine loaded by other work (load 15-25): 30 pods took 7.3-8.2 s unlimited and
// 7.6-8.6 s with 4, i.e. no worse; with 2 or 3 it was slower. Since a slot covers a whole pod
// start (RunPodSandbox, CreateContainer, StartContainer: pod-start-slots.ts), 8 is the default:
// in a sweep of 2/4/8/16 on 2 cores (bench:containers, load 10-21, both sides at the same limit)
// 8 beat 4 on total and p99 in 4 of 4 direct-CRI pairs and 3 of 4 k8ts pairs (by ~20-30%);
// 2 and 16 were no better on average. CPU per pod was the same at every limit.
export const DEFAULT_START_LIMIT = 8;
//
// Waiters are served by priority (lower first), FIFO among equals. The CRI runtime gives each pod
// a priority from the order its first sandbox was asked for, so an older pod's StartContainer goes
// before a newer pod's RunPodSandbox: in a burst the first pods finish whole instead of every pod
// waiting for the last sandbox (plain FIFO per call interleaves them all).
export interface StartSlot {
  /** Gives the slot to the next waiter (or frees it). Idempotent. */
  release(): void;
}

interface Waiter {
  readonly priority: number;
  readonly grant: () => void;
}

export class StartLimiter {
  readonly #limit: number;
  #active = 0;
  /** Sorted by priority, FIFO among equals; bursts are tens of waiters, so insertion is cheap enough. */
  readonly #waiting: Waiter[] = [];

  constructor(options: { readonly limit: number }) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError(`start limit must be a positive integer, got ${options.limit}`);
    this.#limit = options.limit;
  }

  /** Waiters not yet given a slot (tests, diagnostics). */
  get waiting(): number {
    return this.#waiting.length;
  }

  async run<T>(task: () => Promise<T>, options: { readonly priority?: number } = {}): Promise<T> {
    const slot = await this.acquire(options.priority ?? 0);
    try {
      return await task();
    } finally {
      slot.release();
    }
  }

  /** A slot to hold across several calls; the caller must release it. */
  async acquire(priority = 0): Promise<StartSlot> {
    if (this.#active < this.#limit) this.#active++;
    else await new Promise<void>((grant) => this.#enqueue({ priority, grant }));
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        const next = this.#waiting.shift();
        // Hand the slot straight to the next waiter (the count stays), or free it.
        if (next) next.grant();
        else this.#active--;
      },
    };
  }

  /** After every waiter of lower or equal priority: FIFO among equals. */
  #enqueue(waiter: Waiter): void {
    let i = this.#waiting.length;
    while (i > 0 && (this.#waiting[i - 1]?.priority ?? 0) > waiter.priority) i--;
    this.#waiting.splice(i, 0, waiter);
  }
}

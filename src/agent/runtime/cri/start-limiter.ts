// At most N of the expensive CRI calls (RunPodSandbox, StartContainer) at once. On a 2-core node,
// 50 pods started all at once took 10-14 s in total and every pod waited seconds; with 4 at a time
// the same 50 took 6.9 s at ~0.5 s each (containerd-node.md §6). Calls beyond the limit wait in
// FIFO order. Measured here per call (not per pod) on a machine loaded by other work (load 15-25):
// 30 pods took 7.3-8.2 s unlimited and 7.6-8.6 s with 4, i.e. no worse; with 2 or 3 it was slower.
// So 4 is the default: it bounds the burst without costing throughput.
export class StartLimiter {
  readonly #limit: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(options: { readonly limit: number }) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError(`start limit must be a positive integer, got ${options.limit}`);
    this.#limit = options.limit;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#active++;
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      // Hand the slot straight to the next waiter (the count stays), or free it.
      if (next) next();
      else this.#active--;
    }
  }
}

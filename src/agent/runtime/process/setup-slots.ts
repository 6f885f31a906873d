// At most `size` tasks at a time, started in call order. Pod network setup runs through this:
// each CNI ADD is a few plugin processes, and 100 of them at once on a small machine all finish
// together at the end (every pod waits for the slowest), where a few at a time hand the first pods
// their network early and the whole batch no later.
export class SetupSlots {
  readonly #size: number;
  #busy = 0;
  readonly #queue: (() => void)[] = [];

  constructor(size: number) {
    this.#size = Math.max(1, size);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#busy >= this.#size) await new Promise<void>((resolve) => this.#queue.push(resolve));
    else this.#busy++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter (busy stays the same), or free it.
      const next = this.#queue.shift();
      if (next) next();
      else this.#busy--;
    }
  }
}

// The watch cache's window of recent events: a fixed-capacity ring in revision order. Pushing into
// a full ring evicts the oldest event, which moves the start of the window forward.

export interface Revisioned {
  readonly revision: number;
}

export class EventRing<T extends Revisioned> {
  readonly #slots: (T | undefined)[];
  #start = 0;
  #size = 0;

  constructor(options: { capacity: number }) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.#slots = new Array<T | undefined>(options.capacity);
  }

  get size(): number {
    return this.#size;
  }

  /** Appends; returns the evicted oldest item when the ring was full. */
  push(item: T): T | undefined {
    const capacity = this.#slots.length;
    if (this.#size < capacity) {
      this.#slots[(this.#start + this.#size) % capacity] = item;
      this.#size++;
      return undefined;
    }
    const evicted = this.#slots[this.#start];
    this.#slots[this.#start] = item;
    this.#start = (this.#start + 1) % capacity;
    return evicted;
  }

  clear(): void {
    this.#slots.fill(undefined);
    this.#start = 0;
    this.#size = 0;
  }

  #at(index: number): T {
    return this.#slots[(this.#start + index) % this.#slots.length] as T;
  }

  /** Every item with revision > afterRevision, oldest first (binary search for the start). */
  after(afterRevision: number): T[] {
    let lo = 0;
    let hi = this.#size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#at(mid).revision <= afterRevision) lo = mid + 1;
      else hi = mid;
    }
    const out: T[] = [];
    for (let i = lo; i < this.#size; i++) out.push(this.#at(i));
    return out;
  }
}

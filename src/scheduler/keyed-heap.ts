// A binary min-heap of items addressed by key: push/update/remove in O(log n), peek in O(1).
// The scheduling queue's active queue is one (highest priority, then oldest, first).

export class KeyedHeap<T> {
  private readonly items: T[] = [];
  private readonly positions = new Map<string, number>();
  private readonly keyOf: (item: T) => string;
  private readonly less: (a: T, b: T) => boolean;

  constructor(options: { keyOf: (item: T) => string; less: (a: T, b: T) => boolean }) {
    this.keyOf = options.keyOf;
    this.less = options.less;
  }

  get size(): number {
    return this.items.length;
  }

  has(key: string): boolean {
    return this.positions.has(key);
  }

  get(key: string): T | undefined {
    const index = this.positions.get(key);
    return index === undefined ? undefined : this.items[index];
  }

  /** Adds the item, or replaces the one with the same key and restores heap order. */
  push(item: T): void {
    const key = this.keyOf(item);
    const index = this.positions.get(key);
    if (index !== undefined) {
      this.items[index] = item;
      this.down(this.up(index));
      return;
    }
    this.items.push(item);
    this.positions.set(key, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  peek(): T | undefined {
    return this.items[0];
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (top === undefined) return undefined;
    this.removeAt(0);
    return top;
  }

  remove(key: string): T | undefined {
    const index = this.positions.get(key);
    if (index === undefined) return undefined;
    const item = this.items[index];
    this.removeAt(index);
    return item;
  }

  values(): IterableIterator<T> {
    return this.items.values();
  }

  private removeAt(index: number): void {
    const item = this.items[index] as T;
    this.positions.delete(this.keyOf(item));
    const last = this.items.pop() as T;
    if (index < this.items.length) {
      this.items[index] = last;
      this.positions.set(this.keyOf(last), index);
      this.down(this.up(index));
    }
  }

  private swap(a: number, b: number): void {
    const x = this.items[a] as T;
    const y = this.items[b] as T;
    this.items[a] = y;
    this.items[b] = x;
    this.positions.set(this.keyOf(y), a);
    this.positions.set(this.keyOf(x), b);
  }

  private up(index: number): number {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.items[i] as T, this.items[parent] as T)) break;
      this.swap(i, parent);
      i = parent;
    }
    return i;
  }

  private down(index: number): void {
    let i = index;
    const n = this.items.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < n && this.less(this.items[left] as T, this.items[smallest] as T)) smallest = left;
      if (right < n && this.less(this.items[right] as T, this.items[smallest] as T)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}

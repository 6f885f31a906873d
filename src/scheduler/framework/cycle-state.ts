// Per-pod scratch space for one scheduling cycle: what PreFilter/PreScore computed for Filter/Score.

export class CycleState {
  private readonly data = new Map<string, unknown>();

  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
}

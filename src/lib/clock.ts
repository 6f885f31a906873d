// Time as a dependency: everything that reads the wall clock takes a Clock, so tests can pin it.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
};

/** A clock that only moves when told to; for tests of time-based logic. */
export class FakeClock implements Clock {
  private current: number;

  constructor(options: { start?: Date } = {}) {
    this.current = (options.start ?? new Date('2025-01-01T00:00:00Z')).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

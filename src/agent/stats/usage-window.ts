// The rate math of kubectl top, per series (one container, or the node): cumulative CPU
// core-nanoseconds sampled now and then become a rate in nanocores over the window between two
// samples, as metrics-server does with kubelet's numbers. Worked example: a busy loop that used
// 2.0e9 core-ns at t=10 s and 12.0e9 at t=20 s ran 10e9 core-ns in 10 s: 1e9 nanocores = 1000m.
// Memory is not a rate: the newest sample's working set is reported as it is.

export interface UsagePoint {
  /** When the sample was taken (ms since the epoch). */
  readonly at: number;
  readonly cpuUsageCoreNanoSeconds?: number;
  readonly memoryWorkingSetBytes?: number;
}

export interface UsageRate {
  readonly cpuNanoCores: number;
  readonly memoryWorkingSetBytes: number;
  /** The newest sample's time: the end of the window. */
  readonly timestamp: Date;
  readonly windowSeconds: number;
}

/** Points kept per series: enough to skip a too-close newest pair (an on-demand sample). */
const MAX_POINTS = 3;

export class UsageWindow {
  readonly #minWindowMs: number;
  /** Oldest first. */
  #points: UsagePoint[] = [];

  /** minWindowMs: two samples closer than this are too noisy to divide by; an older one is used. */
  constructor(options: { readonly minWindowMs: number }) {
    this.#minWindowMs = options.minWindowMs;
  }

  get size(): number {
    return this.#points.length;
  }

  add(point: UsagePoint): void {
    const last = this.#points.at(-1);
    if (last && point.at <= last.at) return;
    // The counter went backwards: a restarted process tree or a reset counter. Earlier points
    // describe something else now; the rate starts over from this one.
    const lastCpu = last?.cpuUsageCoreNanoSeconds;
    if (lastCpu !== undefined && point.cpuUsageCoreNanoSeconds !== undefined && point.cpuUsageCoreNanoSeconds < lastCpu) {
      this.#points = [];
    }
    this.#points.push(point);
    if (this.#points.length > MAX_POINTS) this.#points.splice(0, this.#points.length - MAX_POINTS);
  }

  /** The rate over the newest window at least minWindowMs long; undefined until there is one. */
  rate(): UsageRate | undefined {
    const last = this.#points.at(-1);
    const lastCpu = last?.cpuUsageCoreNanoSeconds;
    if (!last || lastCpu === undefined) return undefined;
    for (let i = this.#points.length - 2; i >= 0; i--) {
      const earlier = this.#points[i];
      const earlierCpu = earlier?.cpuUsageCoreNanoSeconds;
      if (!earlier || earlierCpu === undefined) continue;
      const windowMs = last.at - earlier.at;
      if (windowMs < this.#minWindowMs) continue;
      return {
        cpuNanoCores: Math.round(((lastCpu - earlierCpu) * 1000) / windowMs),
        memoryWorkingSetBytes: Math.round(last.memoryWorkingSetBytes ?? 0),
        timestamp: new Date(last.at),
        windowSeconds: windowMs / 1000,
      };
    }
    return undefined;
  }
}

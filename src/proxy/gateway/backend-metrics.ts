// Per-backend request metrics of one gateway worker, and the snapshot format the primary merges.
//
// Hot path: record() does three Map lookups (route -> backend Service -> revision) and bumps
// numbers in preallocated Float64Arrays; it allocates only when a series or a second-slot is new.
// Each series keeps cumulative totals (for Prometheus) and a ring of 1 s slots for the last
// WINDOW_SECONDS (for "success rate and latency of service X revision R over the last N seconds").
//
// Slot layout (totals and every second): [1xx, 2xx, 3xx, 4xx, 5xx, latency sum ms, bucket counts...]
// where bucket i counts requests with latency <= LATENCY_BUCKETS_MS[i] (non-cumulative; the last
// bucket is +Inf).

/** Upper bounds (ms) of the latency histogram buckets; one more bucket (+Inf) follows. */
export const LATENCY_BUCKETS_MS: readonly number[] = [
  0.5, 1, 2, 3, 5, 7.5, 10, 15, 25, 50, 75, 100, 150, 250, 500, 750, 1000, 2500, 5000, 10000,
];
/** How far back the windowed view reaches, in seconds (1 s slots). */
export const WINDOW_SECONDS = 600;

export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

/** Index of the latency sum in a slot; histogram buckets follow it. */
export const SUM_INDEX = 5;
export const BUCKET_OFFSET = 6;
export const SLOT_SIZE = BUCKET_OFFSET + LATENCY_BUCKETS_MS.length + 1;

/** One series of a snapshot: plain data (JSON and structured-clone safe). */
export interface SeriesSnapshot {
  /** `namespace/name` of the HTTPRoute ('' when no route matched). */
  readonly route: string;
  /** `namespace/name` of the backend Service ('' when none was picked). */
  readonly service: string;
  /** pod-template-hash of the endpoint's pod ('' when unknown). */
  readonly revision: string;
  /** Cumulative since the worker started; SLOT_SIZE numbers. */
  readonly totals: readonly number[];
  /** Unix seconds of the non-empty slots in the window, ascending. */
  readonly seconds: readonly number[];
  /** SLOT_SIZE numbers per entry of `seconds`. */
  readonly slots: readonly (readonly number[])[];
}

export interface MetricsSnapshot {
  readonly takenAtMs: number;
  readonly series: readonly SeriesSnapshot[];
}

class Series {
  readonly route: string;
  readonly service: string;
  readonly revision: string;
  readonly totals = new Float64Array(SLOT_SIZE);
  readonly ring: (Float64Array | undefined)[] = new Array<Float64Array | undefined>(WINDOW_SECONDS);
  readonly ringSecond = new Float64Array(WINDOW_SECONDS).fill(-1);

  constructor(route: string, service: string, revision: string) {
    this.route = route;
    this.service = service;
    this.revision = revision;
  }
}

/** Index of a status code's class in a slot (anything outside 100..599, e.g. 0 for "no response", counts as 5xx). */
export function statusClassIndex(status: number): number {
  if (status >= 100 && status < 600) return Math.floor(status / 100) - 1;
  return 4;
}

/** Index of the histogram bucket (relative to BUCKET_OFFSET) a latency falls into. */
export function latencyBucketIndex(latencyMs: number): number {
  const bounds = LATENCY_BUCKETS_MS;
  for (let i = 0; i < bounds.length; i++) {
    if (latencyMs <= (bounds[i] ?? Infinity)) return i;
  }
  return bounds.length;
}

/** One worker's recorder. Not thread-safe by design: each worker owns one and ships snapshots. */
export class BackendMetricsRecorder {
  private readonly byRoute = new Map<string, Map<string, Map<string, Series>>>();
  private readonly all: Series[] = [];

  /**
   * Records one finished request. `nowMs` is the wall-clock time (ms since the epoch) it finished
   * (the data plane has it already for the latency, so no clock read happens here).
   */
  record(route: string, service: string, revision: string, status: number, latencyMs: number, nowMs: number): void {
    const series = this.series(route, service, revision);
    const cls = statusClassIndex(status);
    const bucket = BUCKET_OFFSET + latencyBucketIndex(latencyMs);
    const totals = series.totals;
    totals[cls] = (totals[cls] ?? 0) + 1;
    totals[SUM_INDEX] = (totals[SUM_INDEX] ?? 0) + latencyMs;
    totals[bucket] = (totals[bucket] ?? 0) + 1;
    const second = Math.floor(nowMs / 1000);
    const idx = second % WINDOW_SECONDS;
    let slot = series.ring[idx];
    if (slot === undefined) {
      slot = new Float64Array(SLOT_SIZE);
      series.ring[idx] = slot;
      series.ringSecond[idx] = second;
    } else if (series.ringSecond[idx] !== second) {
      slot.fill(0);
      series.ringSecond[idx] = second;
    }
    slot[cls] = (slot[cls] ?? 0) + 1;
    slot[SUM_INDEX] = (slot[SUM_INDEX] ?? 0) + latencyMs;
    slot[bucket] = (slot[bucket] ?? 0) + 1;
  }

  /** A copy of everything recorded; only the slots of the last `windowSeconds` (default all) up to `nowMs`. */
  snapshot(nowMs: number, windowSeconds = WINDOW_SECONDS): MetricsSnapshot {
    const now = Math.floor(nowMs / 1000);
    const oldest = now - Math.min(windowSeconds, WINDOW_SECONDS) + 1;
    const series: SeriesSnapshot[] = [];
    for (const s of this.all) {
      const seconds: number[] = [];
      for (let i = 0; i < WINDOW_SECONDS; i++) {
        const sec = s.ringSecond[i] ?? -1;
        if (sec >= oldest && sec <= now && s.ring[i] !== undefined) seconds.push(sec);
      }
      seconds.sort((a, b) => a - b);
      const slots = seconds.map((sec) => Array.from(s.ring[sec % WINDOW_SECONDS] ?? []));
      series.push({ route: s.route, service: s.service, revision: s.revision, totals: Array.from(s.totals), seconds, slots });
    }
    return { takenAtMs: nowMs, series };
  }

  private series(route: string, service: string, revision: string): Series {
    let byService = this.byRoute.get(route);
    if (byService === undefined) {
      byService = new Map();
      this.byRoute.set(route, byService);
    }
    let byRevision = byService.get(service);
    if (byRevision === undefined) {
      byRevision = new Map();
      byService.set(service, byRevision);
    }
    let series = byRevision.get(revision);
    if (series === undefined) {
      series = new Series(route, service, revision);
      byRevision.set(revision, series);
      this.all.push(series);
    }
    return series;
  }
}

/**
 * Sums snapshots (one per worker, each cumulative) into one: series with the same route, service
 * and revision add up, slot by slot for the same second. takenAtMs is the latest one.
 */
export function mergeSnapshots(snapshots: readonly MetricsSnapshot[]): MetricsSnapshot {
  const merged = new Map<string, { key: SeriesSnapshot; totals: number[]; bySecond: Map<number, number[]> }>();
  let takenAtMs = 0;
  for (const snap of snapshots) {
    takenAtMs = Math.max(takenAtMs, snap.takenAtMs);
    for (const s of snap.series) {
      const key = `${s.route}\u0000${s.service}\u0000${s.revision}`;
      let m = merged.get(key);
      if (m === undefined) {
        m = { key: s, totals: new Array<number>(SLOT_SIZE).fill(0), bySecond: new Map() };
        merged.set(key, m);
      }
      addInto(m.totals, s.totals);
      s.seconds.forEach((sec, i) => {
        let slot = m.bySecond.get(sec);
        if (slot === undefined) {
          slot = new Array<number>(SLOT_SIZE).fill(0);
          m.bySecond.set(sec, slot);
        }
        addInto(slot, s.slots[i] ?? []);
      });
    }
  }
  const series: SeriesSnapshot[] = [];
  for (const m of merged.values()) {
    const seconds = [...m.bySecond.keys()].sort((a, b) => a - b);
    series.push({
      route: m.key.route,
      service: m.key.service,
      revision: m.key.revision,
      totals: m.totals,
      seconds,
      slots: seconds.map((sec) => m.bySecond.get(sec) ?? []),
    });
  }
  return { takenAtMs, series };
}

export function addInto(target: number[], source: readonly number[]): void {
  for (let i = 0; i < target.length; i++) target[i] = (target[i] ?? 0) + (source[i] ?? 0);
}

// ---- The stats query (served by the admin server as GET /stats; issue 6's analysis calls it) ----

/**
 * GET /stats?service=ns/name[&revision=h][&route=ns/name][&window=60s]
 * `window`: seconds, as `60`, `60s`, `5m` (default 60 s, at most WINDOW_SECONDS); the window ends
 * with the current (partial) second.
 */
export interface StatsQuery {
  readonly service: string;
  readonly revision?: string;
  readonly route?: string;
  readonly windowSeconds: number;
}

/** The /stats answer (JSON). */
export interface StatsResult {
  readonly service: string;
  readonly revision?: string;
  readonly route?: string;
  readonly windowSeconds: number;
  readonly requests: number;
  readonly byClass: Readonly<Record<StatusClass, number>>;
  /** (requests − 5xx) / requests; null without requests (the caller decides what too few samples mean). */
  readonly successRate: number | null;
  /** Estimated from the histogram (linear within a bucket); null without requests. */
  readonly latencyMs: { readonly p50: number | null; readonly p95: number | null; readonly p99: number | null; readonly mean: number | null };
}

/** Parses /stats query parameters; throws StatsQueryError (answer 400 with its message). */
export function parseStatsQuery(params: URLSearchParams): StatsQuery {
  const service = params.get('service') ?? '';
  if (!/^[^/\s]+\/[^/\s]+$/.test(service)) throw new StatsQueryError('service=namespace/name is required');
  const windowText = params.get('window') ?? '60s';
  const m = /^(\d+)(s|m)?$/.exec(windowText);
  const n = m === null ? NaN : Number(m[1]) * (m[2] === 'm' ? 60 : 1);
  if (!Number.isFinite(n) || n <= 0) throw new StatsQueryError(`window must be like 60s or 5m, got ${JSON.stringify(windowText)}`);
  const revision = params.get('revision');
  const route = params.get('route');
  return {
    service,
    windowSeconds: Math.min(n, WINDOW_SECONDS),
    ...(revision !== null && revision !== '' ? { revision } : {}),
    ...(route !== null && route !== '' ? { route } : {}),
  };
}

export class StatsQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatsQueryError';
  }
}

/** Computes the /stats answer from a (merged) snapshot for the window ending at `nowMs`. */
export function queryStats(snapshot: MetricsSnapshot, query: StatsQuery, nowMs: number): StatsResult {
  const now = Math.floor(nowMs / 1000);
  const oldest = now - query.windowSeconds + 1;
  const sum = new Array<number>(SLOT_SIZE).fill(0);
  for (const s of snapshot.series) {
    if (s.service !== query.service) continue;
    if (query.revision !== undefined && s.revision !== query.revision) continue;
    if (query.route !== undefined && s.route !== query.route) continue;
    s.seconds.forEach((sec, i) => {
      if (sec >= oldest && sec <= now) addInto(sum, s.slots[i] ?? []);
    });
  }
  const byClass = { '1xx': sum[0] ?? 0, '2xx': sum[1] ?? 0, '3xx': sum[2] ?? 0, '4xx': sum[3] ?? 0, '5xx': sum[4] ?? 0 };
  const requests = byClass['1xx'] + byClass['2xx'] + byClass['3xx'] + byClass['4xx'] + byClass['5xx'];
  const buckets = sum.slice(BUCKET_OFFSET);
  return {
    service: query.service,
    ...(query.revision !== undefined ? { revision: query.revision } : {}),
    ...(query.route !== undefined ? { route: query.route } : {}),
    windowSeconds: query.windowSeconds,
    requests,
    byClass,
    successRate: requests > 0 ? (requests - byClass['5xx']) / requests : null,
    latencyMs: {
      p50: histogramQuantile(buckets, 0.5),
      p95: histogramQuantile(buckets, 0.95),
      p99: histogramQuantile(buckets, 0.99),
      mean: requests > 0 ? (sum[SUM_INDEX] ?? 0) / requests : null,
    },
  };
}

/**
 * The q-quantile (0..1) of a non-cumulative histogram over LATENCY_BUCKETS_MS (+Inf last), linear
 * within the bucket like Prometheus's histogram_quantile; the +Inf bucket reports the last finite bound.
 */
export function histogramQuantile(buckets: readonly number[], q: number): number | null {
  let count = 0;
  for (const b of buckets) count += b;
  if (count === 0) return null;
  const rank = q * count;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    const inBucket = buckets[i] ?? 0;
    if (inBucket > 0 && seen + inBucket >= rank) {
      const upper = LATENCY_BUCKETS_MS[i];
      const lower = i === 0 ? 0 : (LATENCY_BUCKETS_MS[i - 1] ?? 0);
      if (upper === undefined) return lower;
      return lower + (upper - lower) * ((rank - seen) / inBucket);
    }
    seen += inBucket;
  }
  return LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1] ?? null;
}

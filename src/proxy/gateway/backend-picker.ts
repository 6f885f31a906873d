// Backend and endpoint choice on the hot path.
//
// Weights are proportions of the rule's sum (0: no traffic). Without a cohort key the backend is
// drawn at random by weight. With a sticky-cohort key (HTTPRoute annotation
// `gateway.k8ts.io/cohort-key`, see cohort-annotation.ts) the key's value is hashed (FNV-1a, 32 bit)
// into one of 10,000 buckets and the backends own contiguous bucket ranges in declaration order,
// sized by weight share. Growing a later backend's weight only moves the boundary towards the
// earlier one, so a user already on the later backend (the canary, declared after stable) stays on
// it as its weight grows, and everyone returns together when its weight drops to 0.
//
// Per-rule state (cumulative weights, ready endpoint lists, round-robin cursors) is derived lazily
// from the table objects and cached in WeakMaps keyed by them, so a new table version needs no
// explicit reset and old versions are garbage-collected.

import type { CohortKey, CompiledRule, GatewayEndpoint, WeightedBackend } from './route-table.js';


/** Number of cohort buckets. */
export const COHORT_BUCKETS = 10_000;

export type EndpointStrategy = 'round-robin' | 'least-in-flight';

export interface BackendPickerOptions {
  /** Uniform [0, 1); injectable for tests. */
  readonly random?: () => number;
  readonly strategy?: EndpointStrategy;
}

interface RuleState {
  /** Upper bound (exclusive) of each backend's share of the weight sum, in declaration order. */
  readonly cumulative: Float64Array;
  readonly total: number;
}

interface BackendState {
  /** Ready, non-terminating endpoints: the ones new requests may go to. */
  readonly ready: readonly GatewayEndpoint[];
  /** `address:port` of each ready endpoint (in-flight bookkeeping survives table versions). */
  readonly keys: readonly string[];
  cursor: number;
}

export class BackendPicker {
  private readonly random: () => number;
  private readonly strategy: EndpointStrategy;
  private readonly rules = new WeakMap<CompiledRule, RuleState>();
  private readonly backends = new WeakMap<WeightedBackend, BackendState>();
  private readonly inFlight = new Map<string, number>();

  constructor(options: BackendPickerOptions = {}) {
    this.random = options.random ?? Math.random;
    this.strategy = options.strategy ?? 'round-robin';
  }

  /**
   * The backend for one request: by cohort bucket when `bucket` is 0..9999 (see cohortBucket), else
   * at random by weight. Undefined when the rule has no backend with weight > 0 (the gateway answers 500).
   */
  pickBackend(rule: CompiledRule, bucket = -1): WeightedBackend | undefined {
    const state = this.ruleState(rule);
    if (state.total <= 0) return undefined;
    const point = bucket >= 0 ? ((bucket % COHORT_BUCKETS) + 0.5) * (state.total / COHORT_BUCKETS) : this.random() * state.total;
    const cumulative = state.cumulative;
    for (let i = 0; i < cumulative.length; i++) {
      if (point < (cumulative[i] ?? 0)) return rule.backends[i];
    }
    // Floating point at the very top: the last backend with weight.
    for (let i = rule.backends.length - 1; i >= 0; i--) {
      const b = rule.backends[i];
      if (b !== undefined && b.weight > 0) return b;
    }
    return undefined;
  }

  /**
   * A ready, non-terminating endpoint of the backend, or undefined when it has none (503).
   * `exclude` skips one endpoint: a retry after a failed connect goes elsewhere when it can.
   * With the least-in-flight strategy the caller must call release() when the request ends.
   */
  pickEndpoint(backend: WeightedBackend, exclude?: GatewayEndpoint): GatewayEndpoint | undefined {
    const state = this.backendState(backend);
    const n = state.ready.length;
    if (n === 0) return undefined;
    if (this.strategy === 'least-in-flight') return this.leastInFlight(state, exclude);
    for (let tries = 0; tries < n; tries++) {
      const i = state.cursor;
      state.cursor = i + 1 >= n ? 0 : i + 1;
      const endpoint = state.ready[i];
      if (endpoint !== undefined && !sameEndpoint(endpoint, exclude)) return endpoint;
    }
    // Only the excluded endpoint is left.
    return undefined;
  }

  /** Ends a request picked with the least-in-flight strategy (no-op for round robin). */
  release(endpoint: GatewayEndpoint): void {
    if (this.strategy !== 'least-in-flight') return;
    const key = endpointKey(endpoint);
    const n = this.inFlight.get(key);
    if (n === undefined) return;
    if (n <= 1) this.inFlight.delete(key);
    else this.inFlight.set(key, n - 1);
  }

  private leastInFlight(state: BackendState, exclude: GatewayEndpoint | undefined): GatewayEndpoint | undefined {
    const n = state.ready.length;
    let best = -1;
    let bestLoad = Infinity;
    // Start at the cursor so ties rotate instead of piling onto the first endpoint.
    const start = state.cursor;
    state.cursor = start + 1 >= n ? 0 : start + 1;
    for (let k = 0; k < n; k++) {
      const i = (start + k) % n;
      const endpoint = state.ready[i];
      if (endpoint === undefined || sameEndpoint(endpoint, exclude)) continue;
      const load = this.inFlight.get(state.keys[i] ?? '') ?? 0;
      if (load < bestLoad) {
        best = i;
        bestLoad = load;
      }
    }
    if (best < 0) return undefined;
    const key = state.keys[best] ?? '';
    this.inFlight.set(key, bestLoad + 1);
    return state.ready[best];
  }

  private ruleState(rule: CompiledRule): RuleState {
    let state = this.rules.get(rule);
    if (state === undefined) {
      const cumulative = new Float64Array(rule.backends.length);
      let total = 0;
      rule.backends.forEach((b, i) => {
        total += b.weight > 0 ? b.weight : 0;
        cumulative[i] = total;
      });
      state = { cumulative, total };
      this.rules.set(rule, state);
    }
    return state;
  }

  private backendState(backend: WeightedBackend): BackendState {
    let state = this.backends.get(backend);
    if (state === undefined) {
      const ready = backend.endpoints.filter((e) => e.ready && !e.terminating);
      state = { ready, keys: ready.map(endpointKey), cursor: 0 };
      this.backends.set(backend, state);
    }
    return state;
  }
}

function sameEndpoint(a: GatewayEndpoint, b: GatewayEndpoint | undefined): boolean {
  return b !== undefined && a.address === b.address && a.port === b.port;
}

function endpointKey(e: GatewayEndpoint): string {
  return `${e.address}:${e.port}`;
}

/** 32-bit FNV-1a over the UTF-16 code units of s[start, end): stable across processes and versions. */
export function fnv1a(s: string, start = 0, end = s.length): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    // Code units above 0xff contribute both bytes so non-Latin keys spread as well.
    if (c > 0xff) {
      h ^= c >>> 8;
      h = Math.imul(h, 0x01000193);
    }
    h ^= c & 0xff;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The request's cohort bucket (0..9999) for the rule's cohort key, or -1 when the rule has no
 * cohort key or the request does not carry it (then the backend is drawn at random).
 * Allocation-free for header keys and for cookies that are not quoted.
 */
export function cohortBucket(cohort: CohortKey | undefined, names: readonly string[], values: readonly string[]): number {
  if (cohort === undefined) return -1;
  if (cohort.source === 'header') {
    // The first field of that name: joining repeats would allocate and the key is one value anyway.
    const i = names.indexOf(cohort.name);
    const value = i < 0 ? '' : (values[i] ?? '');
    return value === '' ? -1 : fnv1a(value) % COHORT_BUCKETS;
  }
  for (let i = 0; i < names.length; i++) {
    if (names[i] !== 'cookie') continue;
    const bucket = cookieBucket(values[i] ?? '', cohort.name);
    if (bucket >= 0) return bucket;
  }
  return -1;
}

function cookieBucket(header: string, name: string): number {
  let i = 0;
  const len = header.length;
  while (i < len) {
    while (i < len && (header.charCodeAt(i) === 32 || header.charCodeAt(i) === 59)) i++;
    let end = header.indexOf(';', i);
    if (end < 0) end = len;
    const eq = header.indexOf('=', i);
    if (eq > i && eq < end && eq - i === name.length && header.startsWith(name, i)) {
      let vs = eq + 1;
      let ve = end;
      while (ve > vs && header.charCodeAt(ve - 1) === 32) ve--;
      // A quoted cookie value names the same value unquoted (RFC 6265 cookie-value).
      if (ve - vs >= 2 && header.charCodeAt(vs) === 34 && header.charCodeAt(ve - 1) === 34) {
        vs++;
        ve--;
      }
      return ve > vs ? fnv1a(header, vs, ve) % COHORT_BUCKETS : -1;
    }
    i = end + 1;
  }
  return -1;
}

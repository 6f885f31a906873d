// The ServiceAccount tokens of one pod's projected volumes (kubelet's token manager plus the
// projected volume's rewrite): each serviceAccountToken source is a TokenRequest for the pod's
// account, bound to the pod (kind Pod, name, uid), with the source's audience and
// expirationSeconds. A token is refreshed once 80% of its time to live has passed, or 24 h after it
// was issued, less up to 10 s of jitter (upstream requiresRefresh): for the 3607 s the admission
// step asks for, about 48 minutes after issue. There is no timer: the pod's sync asks
// `nextRefreshAt()` when to come back and calls `refreshDue()`, which only compares numbers until
// a token is due. The new token goes in through the volume's `..data` swap (volume-files.ts), so a
// container that bind-mounted the volume directory sees it at once and never reads half a token.
import type { ServiceAccountTokenProjection } from 'kubernetes-types/core/v1.js';
import type { TokenRequestSpec } from 'kubernetes-types/authentication/v1.js';
import type { Clock } from '../lib/clock.js';
import type { PodObject } from './object-types.js';
import { replaceFile } from './volume-files.js';

/** What the API returned for a TokenRequest (status.token, status.expirationTimestamp). */
export interface IssuedToken {
  readonly token: string;
  readonly expirationTimestamp: string;
}

/** POST serviceaccounts/<name>/token in the namespace, through the client module. */
export type TokenRequester = (namespace: string, serviceAccount: string, spec: TokenRequestSpec) => Promise<IssuedToken>;

/** Upstream's defaults: the API's default expirationSeconds, maxTTL and maxJitter. */
const DEFAULT_EXPIRATION_SECONDS = 3600;
const MAX_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_JITTER_MS = 10_000;
/**
 * After a failed refresh, the next try. Not at once: the pod's sync would come straight back (its
 * next sync is the earliest refresh) and ask the API server again and again while, say, the
 * ServiceAccount is gone; the old token still has a fifth of its life.
 */
const RETRY_AFTER_FAILURE_MS = 30_000;

/**
 * When a token should be replaced: the earlier of 80% of its TTL and 24 h after issue, less the
 * jitter. Worked example: 3607 s issued at t0 expires at t0+3607 s; 20% of 3607 s is 721 s (integer
 * seconds, as upstream), so the refresh is due at t0+2886 s, minus up to 10 s.
 */
export function refreshAt(expiresAtMs: number, expirationSeconds: number, jitterMs: number): number {
  const issuedAtMs = expiresAtMs - expirationSeconds * 1000;
  const byAge = issuedAtMs + MAX_TTL_MS;
  const byTtl = expiresAtMs - Math.floor((expirationSeconds * 20) / 100) * 1000;
  return Math.min(byAge, byTtl) - jitterMs;
}

interface TokenFile {
  readonly volume: string;
  readonly file: string;
  readonly mode: number;
  readonly spec: TokenRequestSpec;
  refreshAtMs: number;
}

/** A token that could not be refreshed, in the volume it belongs to. */
export interface VolumeProblem {
  readonly volume: string;
  readonly message: string;
}

/** Target of a token: the volume, its file's host path, and the file's mode. */
export interface TokenTarget {
  readonly volume: string;
  readonly file: string;
  readonly mode: number;
}

/**
 * The token of a projected serviceAccountToken source: PodTokenFiles requests one; a volume resync
 * (volume-resync.ts) reads the current file instead, as only PodTokenFiles decides when to refresh.
 */
export interface TokenIssuer {
  issue(pod: PodObject, source: ServiceAccountTokenProjection, target: TokenTarget): Promise<string>;
}

export interface PodTokenFilesOptions {
  readonly clock: Clock;
  readonly request: TokenRequester;
  /** Jitter in ms, 0 .. 10 s (default random, whole seconds as upstream). */
  readonly jitterMs?: () => number;
}

export class PodTokenFiles implements TokenIssuer {
  readonly #clock: Clock;
  readonly #request: TokenRequester;
  readonly #jitterMs: () => number;
  readonly #files = new Map<string, TokenFile>();

  constructor(options: PodTokenFilesOptions) {
    this.#clock = options.clock;
    this.#request = options.request;
    this.#jitterMs = options.jitterMs ?? (() => Math.floor(Math.random() * (MAX_JITTER_MS / 1000)) * 1000);
  }

  /**
   * A token for `source`, which will be written at host path `file` with `mode` (the caller
   * writes it the first time, with the rest of the volume); the file is then kept fresh.
   */
  async issue(pod: PodObject, source: ServiceAccountTokenProjection, target: TokenTarget): Promise<string> {
    const spec: TokenRequestSpec = {
      audiences: source.audience !== undefined && source.audience !== '' ? [source.audience] : [],
      expirationSeconds: source.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS,
      boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
    };
    const issued = await this.#fetch(pod, spec);
    this.#files.set(target.file, { ...target, spec, refreshAtMs: this.#dueAt(issued, spec) });
    return issued.token;
  }

  /** The earliest refresh, in ms since the epoch; undefined without tokens. */
  nextRefreshAt(): number | undefined {
    let next: number | undefined;
    for (const entry of this.#files.values()) if (next === undefined || entry.refreshAtMs < next) next = entry.refreshAtMs;
    return next;
  }

  /**
   * Replaces the tokens that are due. A failed request keeps the old file (it is still valid for
   * a fifth of its life) and is retried 30 s later; the errors are returned for an Event.
   */
  async refreshDue(pod: PodObject): Promise<VolumeProblem[]> {
    const now = this.#clock.now().getTime();
    const errors: VolumeProblem[] = [];
    for (const entry of this.#files.values()) {
      if (entry.refreshAtMs > now) continue;
      try {
        const issued = await this.#fetch(pod, entry.spec);
        await replaceFile(entry.file, issued.token, entry.mode);
        entry.refreshAtMs = this.#dueAt(issued, entry.spec);
      } catch (error) {
        entry.refreshAtMs = now + RETRY_AFTER_FAILURE_MS;
        errors.push({ volume: entry.volume, message: error instanceof Error ? error.message : String(error) });
      }
    }
    return errors;
  }

  async #fetch(pod: PodObject, spec: TokenRequestSpec): Promise<IssuedToken> {
    try {
      return await this.#request(pod.metadata?.namespace ?? 'default', pod.spec?.serviceAccountName ?? 'default', spec);
    } catch (error) {
      throw new Error(`failed to fetch token: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  #dueAt(issued: IssuedToken, spec: TokenRequestSpec): number {
    const expiresAt = Date.parse(issued.expirationTimestamp);
    const seconds = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
    // An unreadable expiry: treat the token as issued now with the requested lifetime.
    const at = Number.isNaN(expiresAt) ? this.#clock.now().getTime() + seconds * 1000 : expiresAt;
    return refreshAt(at, seconds, this.#jitterMs());
  }
}

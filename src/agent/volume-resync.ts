// kubelet's periodic remount of the volumes whose files come from something that can change after
// the pod started: configMap, secret, downwardAPI and projected. Upstream, every pod sync (each
// syncFrequency, 1 min, jittered up to half of it) marks those volumes for remount and their SetUp
// runs again: the payload is rendered anew and written through the AtomicWriter. Here the pod's
// sync runs every second, so the resync keeps its own due time (period plus up to 50% jitter, so
// pods set up together spread out) and, until it is due, costs one comparison: no API reads.
// A pod update that changes labels or annotations rewrites at once the volumes that need no API
// read (downwardAPI, and projected volumes of downwardAPI and token sources only), as the kubelet
// remounts on a pod update; the others wait for the period.
//
// A resync only rewrites content (writeFiles: the `..data` swap, skipped when nothing changed). It
// never remounts a tmpfs nor touches hostPath or emptyDir volumes, and it never requests a token:
// a projected serviceAccountToken source keeps the file PodTokenFiles last wrote, which refreshes
// tokens on its own schedule. Files a container mounted through `subPath` are not updated (as
// upstream): the runtime bind-mounted the file the `key -> ..data/key` link pointed to when the
// container started, and that file keeps its content after the swap.
//
// A source that is gone (upstream SetUpAt on a resync): a non-optional ConfigMap or Secret is an
// error and the files stay as they are; an optional one is read as empty, so its files go. A
// failure leaves the files as they are and is reported (Event FailedMount) once per change of
// problem, not once per period.
import { readFile } from 'node:fs/promises';
import type { Volume } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../lib/clock.js';
import type { PodObject } from './object-types.js';
import { contentFiles, hasContent, VolumeError, type VolumeContext } from './pod-volumes.js';
import type { TokenIssuer } from './service-account-token.js';
import { writeFiles } from './volume-files.js';

/** kubelet's syncFrequency. */
export const DEFAULT_VOLUME_RESYNC_MS = 60_000;
/** kubelet's workerResyncIntervalJitterFactor: a period is 1 to 1.5 times the configured one. */
const JITTER_FACTOR = 0.5;

/** The token files as they are: a resync rewrites the payload around them. */
const currentTokens: TokenIssuer = {
  issue: (_pod, _source, target) => readFile(target.file, 'utf8'),
};

/** Whether the volume's files come from the pod object alone (and token files): no API read. */
function fromPodOnly(volume: Volume): boolean {
  if (volume.downwardAPI) return true;
  const sources = volume.projected?.sources;
  return sources !== undefined && sources.every((source) => source.downwardAPI !== undefined || source.serviceAccountToken !== undefined);
}

export interface VolumeResyncOptions {
  readonly clock: Clock;
  /** Time between two resyncs of one pod's volumes (before jitter); 0: never, not even on a pod update. */
  readonly periodMs: number;
  /** A number in [0, 1) per period (default Math.random). */
  readonly jitter?: () => number;
}

export class VolumeResync {
  readonly #clock: Clock;
  readonly #periodMs: number;
  readonly #jitter: () => number;
  #dueAtMs: number | undefined;
  /** Volume name -> the problem last reported for it (cleared once the volume resyncs again). */
  readonly #reported = new Map<string, string>();
  /** The pod's resourceVersion, and its labels and annotations, when the files were last rendered. */
  #seenVersion: string | undefined;
  #metadata: string | undefined;

  constructor(options: VolumeResyncOptions) {
    this.#clock = options.clock;
    this.#periodMs = options.periodMs;
    this.#jitter = options.jitter ?? Math.random;
  }

  /** The volumes of `pod` were (re)written just now: the next resync is one jittered period away. */
  schedule(pod: PodObject): void {
    this.#metadataChanged(pod);
    if (this.#periodMs <= 0) return;
    this.#dueAtMs = this.#clock.now().getTime() + Math.floor(this.#periodMs * (1 + JITTER_FACTOR * this.#jitter()));
  }

  /** When the next resync is due, in ms since the epoch; undefined before set-up or when off. */
  nextAt(): number | undefined {
    return this.#dueAtMs;
  }

  /**
   * When due, renders the content volumes of `ctx.pod` again and writes them into their host
   * directories (`volumes`: name -> path, as set up). Returns the problems not reported before.
   */
  async runDue(ctx: VolumeContext, volumes: ReadonlyMap<string, string>): Promise<VolumeError[]> {
    if (this.#periodMs <= 0) return [];
    const due = this.#dueAtMs !== undefined && this.#dueAtMs <= this.#clock.now().getTime();
    if (!due && !this.#metadataChanged(ctx.pod)) return [];
    const rendering: VolumeContext = { ...ctx, tokens: currentTokens };
    const fresh: VolumeError[] = [];
    for (const volume of ctx.pod.spec?.volumes ?? []) {
      const dir = volumes.get(volume.name);
      if (dir === undefined || !hasContent(volume) || (!due && !fromPodOnly(volume))) continue;
      try {
        const files = await contentFiles(rendering, volume, dir);
        if (files) await writeFiles(dir, files);
        this.#reported.delete(volume.name);
      } catch (error) {
        const problem = error instanceof VolumeError ? error : new VolumeError(volume.name, error instanceof Error ? error.message : String(error));
        if (this.#reported.get(volume.name) === problem.message) continue;
        this.#reported.set(volume.name, problem.message);
        fresh.push(problem);
      }
    }
    // From the end of this pass: a slow API does not make the next one come sooner.
    if (due) this.schedule(ctx.pod);
    return fresh;
  }

  /** Whether labels or annotations differ from the last call's; a string compare while the pod is unchanged. */
  #metadataChanged(pod: PodObject): boolean {
    const version = pod.metadata?.resourceVersion;
    if (version !== undefined && version === this.#seenVersion) return false;
    this.#seenVersion = version;
    const metadata = JSON.stringify([pod.metadata?.labels ?? {}, pod.metadata?.annotations ?? {}]);
    const changed = this.#metadata !== undefined && metadata !== this.#metadata;
    this.#metadata = metadata;
    return changed;
  }
}

// `k8ts rollout get NAME -w`: redraws the rollout tree whenever the Rollout, a ReplicaSet, a pod
// or an AnalysisRun in its namespace changes. Watch events only say "something changed"; each
// redraw lists afresh (four LISTs), at most once per `minIntervalMs` (Argo's 200 ms flicker
// guard), and a frame identical to the last one is not printed again. On a terminal the screen is
// cleared before each frame and ages are refreshed every second; into a pipe, frames are appended.
import type { KubeObject } from '../../api/object.js';
import type { ClientSet, ResourceType } from '../../client/resource-client.js';
import { ANALYSIS_RUNS, PODS, REPLICASETS, ROLLOUTS } from '../../client/resource-types.js';
import type { Clock } from '../../lib/clock.js';
import { loadRolloutObjects } from './rollout-objects.js';
import { rolloutView } from './rollout-info.js';
import { renderRollout } from './rollout-tree.js';

export interface WatchRolloutOptions {
  readonly clients: ClientSet;
  readonly namespace: string;
  readonly name: string;
  readonly clock: Clock;
  readonly color: boolean;
  /** Clear the screen before each frame (a terminal), and refresh ages every second. */
  readonly clearScreen: boolean;
  readonly write: (text: string) => void;
  readonly signal: AbortSignal;
  /** Default 200. */
  readonly minIntervalMs?: number;
  /** Called after each printed frame (tests wait on it). */
  readonly onFrame?: (frame: string) => void;
}

const CLEAR = '\x1b[H\x1b[2J\x1b[0;0H';
const WATCHED: readonly ResourceType[] = [ROLLOUTS, REPLICASETS, PODS, ANALYSIS_RUNS];

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** A level-triggered flag: `set` wakes one `wait`, which also ends on timeout or abort. */
class ChangeSignal {
  private changed = true;
  private wake: (() => void) | undefined;
  set(): void {
    this.changed = true;
    this.wake?.();
  }
  async wait(timeoutMs: number | undefined, signal: AbortSignal): Promise<void> {
    if (this.changed || signal.aborted) return;
    const local = new AbortController();
    const stop = (): void => local.abort();
    signal.addEventListener('abort', stop, { once: true });
    this.wake = stop;
    try {
      await (timeoutMs === undefined ? sleep(2 ** 31 - 1, local.signal) : sleep(timeoutMs, local.signal));
    } finally {
      this.wake = undefined;
      signal.removeEventListener('abort', stop);
    }
  }
  take(): boolean {
    const was = this.changed;
    this.changed = false;
    return was;
  }
}

/** Follows one resource's changes in the namespace for as long as the signal lives. */
async function follow(options: WatchRolloutOptions, type: ResourceType, changes: ChangeSignal, signal: AbortSignal): Promise<void> {
  const client = options.clients.resource<KubeObject>(type);
  while (!signal.aborted) {
    try {
      for await (const event of client.watch(options.namespace, { signal })) {
        if (event.type !== 'BOOKMARK') changes.set();
      }
    } catch {
      // A dropped or expired watch: start again (from the current state) after a breath.
    }
    await sleep(1000, signal);
  }
}

export async function watchRollout(options: WatchRolloutOptions): Promise<void> {
  const changes = new ChangeSignal();
  const minInterval = options.minIntervalMs ?? 200;
  // The watches end with the caller's signal, or when drawing fails (the rollout was deleted).
  const stop = new AbortController();
  const signal = AbortSignal.any([options.signal, stop.signal]);
  const watchers = WATCHED.map((type) => follow(options, type, changes, signal));
  let last = '';
  try {
    while (!signal.aborted) {
      const changed = changes.take();
      if (changed || options.clearScreen) {
        const objects = await loadRolloutObjects(options.clients, options.namespace, options.name);
        const frame = renderRollout(rolloutView(objects), { now: options.clock.now(), color: options.color });
        if (frame !== last) {
          options.write(options.clearScreen ? CLEAR + frame : `${last === '' ? '' : '\n'}${frame}`);
          last = frame;
          options.onFrame?.(frame);
        }
      }
      await sleep(minInterval, signal);
      await changes.wait(options.clearScreen ? 1000 : undefined, signal);
    }
  } finally {
    stop.abort();
    await Promise.allSettled(watchers);
  }
}

// When does a pod on a node with NoExecute taints have to go? Upstream's NoExecuteTaintManager
// rules (pkg/controller/tainteviction), as pure functions:
//   - every NoExecute taint must be tolerated, else the pod is evicted at once;
//   - for each taint the first toleration that matches it is "used"; the pod may stay for the
//     smallest tolerationSeconds among the used tolerations (none set: forever; <= 0: at once).
import type { Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';

/** Upstream Toleration.ToleratesTaint: empty effect/key match everything, Exists ignores the value. */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

export function noExecuteTaints(taints: readonly Taint[] | undefined): Taint[] {
  return (taints ?? []).filter((taint) => taint.effect === 'NoExecute');
}

/** The toleration used for each taint, or undefined when some taint is not tolerated. */
export function matchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[]): Toleration[] | undefined {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const match = tolerations.find((toleration) => toleratesTaint(toleration, taint));
    if (!match) return undefined;
    used.push(match);
  }
  return used;
}

/** Milliseconds the pod may stay: undefined = forever, 0 = evict now. */
export function minTolerationMs(used: readonly Toleration[]): number | undefined {
  let min: number | undefined;
  for (const toleration of used) {
    const seconds = toleration.tolerationSeconds;
    if (seconds === undefined || seconds === null) continue;
    const ms = Math.max(0, seconds) * 1000;
    min = min === undefined ? ms : Math.min(min, ms);
  }
  return min;
}

export type EvictionDecision =
  | { readonly kind: 'keep' }
  | { readonly kind: 'evict-now' }
  | { readonly kind: 'evict-at'; readonly at: number };

/**
 * What to do with `pod` given the node's NoExecute taints. The toleration clock starts when the
 * newest of those taints was added (taint.timeAdded; `fallbackStart` for a taint without it), so
 * the decision is a pure function of the stored objects and survives a controller restart.
 * Worked example: unreachable taint added at 12:00:00, default toleration 300 s -> the pod is
 * evicted at 12:05:00; a pod with `tolerationSeconds: 0` goes at once; one tolerating the taint
 * without tolerationSeconds stays.
 */
export function evictionDecision(pod: Pod, taints: readonly Taint[], fallbackStart: number): EvictionDecision {
  const noExecute = noExecuteTaints(taints);
  if (noExecute.length === 0) return { kind: 'keep' };
  const used = matchingTolerations(noExecute, pod.spec?.tolerations ?? []);
  if (!used) return { kind: 'evict-now' };
  const allowed = minTolerationMs(used);
  if (allowed === undefined) return { kind: 'keep' };
  if (allowed === 0) return { kind: 'evict-now' };
  let start = Number.NEGATIVE_INFINITY;
  for (const taint of noExecute) {
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : Number.NaN;
    start = Math.max(start, Number.isNaN(added) ? fallbackStart : added);
  }
  return { kind: 'evict-at', at: start + allowed };
}

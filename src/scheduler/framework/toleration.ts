// Taint/toleration matching (upstream: v1helper.TolerationsTolerateTaint / Toleration.ToleratesTaint).
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';

/**
 * A toleration with an empty effect matches every effect; an empty key with operator Exists
 * matches every taint; Exists ignores the value; Equal (the default) compares values.
 */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key !== undefined && toleration.key !== '' && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

export function tolerated(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  if (!tolerations) return false;
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}

/** The first taint no toleration covers, among `taints`. */
export function firstUntolerated(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined): Taint | undefined {
  for (const taint of taints) if (!tolerated(tolerations, taint)) return taint;
  return undefined;
}

// Endpoints objects hold at most 1000 addresses (upstream: maxCapacity, truncateEndpoints); the
// rest is only in EndpointSlices. Truncation keeps ready addresses first and spreads the cut over
// subsets in proportion to their size.
//
// Worked example: 990 ready and 20 not-ready addresses (1010). Ready fit, so only not-ready ones are
// cut: 10 may stay. Two subsets with 15 and 5 not-ready get ceil(15/20*10) = 8 and then
// min(ceil(5/20*10), 10-8) = 2.
import type { EndpointAddress, EndpointSubset } from 'kubernetes-types/core/v1.js';
import { ANNOTATION_OVER_CAPACITY } from './endpoint-object-types.js';

export const MAX_ENDPOINTS_CAPACITY = 1000;
export const OVER_CAPACITY_VALUE = 'truncated';

function countAddresses(subsets: readonly EndpointSubset[]): { readonly ready: number; readonly notReady: number } {
  let ready = 0;
  let notReady = 0;
  for (const subset of subsets) {
    ready += (subset.addresses ?? []).length;
    notReady += (subset.notReadyAddresses ?? []).length;
  }
  return { ready, notReady };
}

/** The over-capacity annotation is absent and no truncation is needed. */
export function capacityAnnotationSetCorrectly(annotations: Readonly<Record<string, string>> | undefined, subsets: readonly EndpointSubset[]): boolean {
  const { ready, notReady } = countAddresses(subsets);
  if (ready + notReady > MAX_ENDPOINTS_CAPACITY) return false;
  return annotations?.[ANNOTATION_OVER_CAPACITY] === undefined;
}

function take(addresses: readonly EndpointAddress[] | undefined, count: number): EndpointAddress[] {
  return (addresses ?? []).slice(0, Math.max(0, count));
}

/** Returns the subsets cut to capacity, or undefined when they already fit. */
export function truncateSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] | undefined {
  const { ready, notReady } = countAddresses(subsets);
  if (ready + notReady <= MAX_ENDPOINTS_CAPACITY) return undefined;
  const truncateReady = ready > MAX_ENDPOINTS_CAPACITY;
  const max = truncateReady ? MAX_ENDPOINTS_CAPACITY : MAX_ENDPOINTS_CAPACITY - ready;
  const total = truncateReady ? ready : notReady;
  let canBeAdded = max;
  return subsets.map((subset) => {
    const inSubset = (truncateReady ? subset.addresses : subset.notReadyAddresses)?.length ?? 0;
    const toBeAdded = Math.min(Math.ceil((inSubset / total) * max), canBeAdded);
    if (truncateReady) {
      const addresses = take(subset.addresses, toBeAdded);
      canBeAdded -= addresses.length;
      return { ...subset, addresses, notReadyAddresses: [] };
    }
    const notReadyAddresses = take(subset.notReadyAddresses, toBeAdded);
    canBeAdded -= notReadyAddresses.length;
    return { ...subset, notReadyAddresses };
  });
}

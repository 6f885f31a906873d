// Which slices of one port group to create, update or delete (upstream: reconcileByPortMapping).
// The aim is few writes: keep every endpoint where it already is, update a slice in place when one
// of its endpoints changed, and only then place new endpoints.
//
//  1. For each existing slice keep the endpoints still desired (taking their new state), drop the
//     rest. A slice whose endpoints changed is updated (or deleted once empty); a slice whose
//     service labels changed is updated; any other slice is unchanged.
//  2. New endpoints first fill the slices already being updated, fullest first, up to the max.
//  3. What is left goes, when it is less than a whole slice, into the one unchanged slice it
//     fills closest to full; otherwise into new slices.
//
// Worked example (max 100): slices A (100 endpoints) and B (60). Two pods of A are deleted and five
// pods are added. Step 1: A keeps 98, is updated. Step 2: A takes 2 of the 5 -> 100. Step 3: 3 are
// left; B (60 + 3 = 63) is the closest fit, so B is updated too. No slice is created.
import type { Endpoint } from 'kubernetes-types/discovery/v1.js';
import type { EndpointSliceObject, ServiceObject } from '../endpoints/endpoint-object-types.js';
import { sliceLabels } from './endpoint-slice-meta.js';
import { endpointKey, endpointsEqualBeyondKey } from './pod-to-endpoint.js';

/** Upstream's default --max-endpoints-per-slice. */
export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;

export interface SlicePlan {
  /** New slices without a name (generateName set). */
  readonly create: EndpointSliceObject[];
  /** Copies of existing slices with their new content. */
  readonly update: EndpointSliceObject[];
  readonly delete: EndpointSliceObject[];
}

export interface PortGroupInput {
  readonly service: ServiceObject;
  readonly existing: readonly EndpointSliceObject[];
  /** Desired endpoints of this port group, by endpointKey. */
  readonly desired: ReadonlyMap<string, Endpoint>;
  /** Makes an empty new slice for this port group. */
  readonly newSlice: () => EndpointSliceObject;
  readonly maxEndpointsPerSlice: number;
}

/** The slice that, after taking `count` endpoints, is closest to full without exceeding max. */
function sliceToFill(slices: readonly EndpointSliceObject[], count: number, max: number): EndpointSliceObject | undefined {
  let closestDiff = max;
  let closest: EndpointSliceObject | undefined;
  for (const slice of slices) {
    const diff = max - (count + (slice.endpoints ?? []).length);
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      closest = slice;
      if (diff === 0) break;
    }
  }
  return closest;
}

export function planPortGroup(input: PortGroupInput): SlicePlan {
  const { service, maxEndpointsPerSlice: max } = input;
  // Stable order: endpoints are placed sorted by key, so equal inputs give equal slices.
  const remaining = new Map([...input.desired].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const byName = new Map<string, EndpointSliceObject>();
  const unchanged = new Set<string>();
  const toUpdate = new Set<string>();
  const toDelete = new Set<string>();

  for (const existing of input.existing) {
    const name = existing.metadata?.name ?? '';
    byName.set(name, existing);
    const kept: Endpoint[] = [];
    let endpointChanged = false;
    for (const endpoint of existing.endpoints ?? []) {
      const key = endpointKey(endpoint);
      const wanted = remaining.get(key);
      if (wanted === undefined) continue;
      kept.push(wanted);
      if (!endpointsEqualBeyondKey(wanted, endpoint)) endpointChanged = true;
      remaining.delete(key);
    }
    const { labels, changed: labelsChanged } = sliceLabels(existing.metadata?.labels, service);
    if (endpointChanged || kept.length !== (existing.endpoints ?? []).length) {
      if (kept.length === 0) {
        toDelete.add(name);
      } else {
        byName.set(name, { ...structuredClone(existing), endpoints: kept, metadata: { ...existing.metadata, labels } });
        toUpdate.add(name);
      }
    } else if (labelsChanged) {
      byName.set(name, { ...structuredClone(existing), metadata: { ...existing.metadata, labels } });
      toUpdate.add(name);
    } else {
      unchanged.add(name);
    }
  }

  const take = (slice: EndpointSliceObject): void => {
    const endpoints = slice.endpoints ?? (slice.endpoints = []);
    for (const [key, endpoint] of remaining) {
      if (endpoints.length >= max) break;
      endpoints.push(endpoint);
      remaining.delete(key);
    }
  };

  if (remaining.size > 0 && toUpdate.size > 0) {
    const fullestFirst = [...toUpdate]
      .map((name) => byName.get(name))
      .filter((slice): slice is EndpointSliceObject => slice !== undefined)
      .sort((a, b) => (b.endpoints ?? []).length - (a.endpoints ?? []).length);
    for (const slice of fullestFirst) take(slice);
  }

  const create: EndpointSliceObject[] = [];
  while (remaining.size > 0) {
    let target: EndpointSliceObject | undefined;
    if (remaining.size < max && unchanged.size > 0) {
      const candidates = [...unchanged].map((name) => byName.get(name)).filter((s): s is EndpointSliceObject => s !== undefined);
      const found = sliceToFill(candidates, remaining.size, max);
      if (found !== undefined) {
        target = structuredClone(found);
        const name = target.metadata?.name ?? '';
        byName.set(name, target);
        unchanged.delete(name);
        toUpdate.add(name);
      }
    }
    if (target === undefined) {
      target = input.newSlice();
      create.push(target);
    }
    take(target);
  }

  const pick = (names: Set<string>) => [...names].map((name) => byName.get(name)).filter((s): s is EndpointSliceObject => s !== undefined);
  return { create, update: pick(toUpdate), delete: pick(toDelete) };
}

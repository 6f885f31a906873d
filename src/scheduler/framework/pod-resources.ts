// What a pod asks of a node, computed once per pod object (upstream: resourcehelper.PodRequests).
//
// Effective request = max(sum of regular containers + restartable init containers (sidecars),
// the largest init-container step) + pod overhead. An init container runs alone except for the
// sidecars started before it, so each init step costs its own request plus those sidecars'.
// Worked example: sidecar S (cpu 100m), init I (cpu 500m), app A (cpu 200m):
//   regular sum = A + S = 300m; init steps: S alone = 100m, I + S = 600m -> max(300m, 600m) = 600m.
//
// "Non-zero" requests are used only for scoring: a container that does not say how much cpu or
// memory it wants is counted as 100m / 200Mi, so best-effort pods still spread out.
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { tryParseQuantity } from '../../api/quantity.js';

export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** Amounts in scheduler units: cpu in millicores, everything else in base units (bytes, count). */
export interface ResourceAmounts {
  milliCpu: number;
  memory: number;
  ephemeralStorage: number;
  /** Extended resources (`nvidia.com/gpu`, hugepages-*); absent when there are none. */
  scalar: Map<string, number> | undefined;
}

export interface PodRequests extends Readonly<ResourceAmounts> {
  readonly nonZeroMilliCpu: number;
  readonly nonZeroMemory: number;
  /** True when the pod requests nothing at all (NodeResourcesFit then only counts pods). */
  readonly empty: boolean;
}

export function emptyAmounts(): ResourceAmounts {
  return { milliCpu: 0, memory: 0, ephemeralStorage: 0, scalar: undefined };
}

/** Millicores, rounded up like upstream's MilliValue. */
export function toMilliCpu(quantity: unknown): number {
  const value = tryParseQuantity(quantity);
  return value === undefined ? 0 : Math.ceil(value * 1000 - 1e-9);
}

/** Base units, rounded up like upstream's Value. */
export function toUnits(quantity: unknown): number {
  const value = tryParseQuantity(quantity);
  return value === undefined ? 0 : Math.ceil(value - 1e-9);
}

/** Reads a ResourceList (requests, allocatable, overhead) into amounts. */
export function amountsOf(list: Readonly<Record<string, unknown>> | undefined): ResourceAmounts {
  const out = emptyAmounts();
  if (!list) return out;
  for (const [name, quantity] of Object.entries(list)) addResource(out, name, quantity);
  return out;
}

function addResource(out: ResourceAmounts, name: string, quantity: unknown): void {
  switch (name) {
    case 'cpu':
      out.milliCpu += toMilliCpu(quantity);
      return;
    case 'memory':
      out.memory += toUnits(quantity);
      return;
    case 'ephemeral-storage':
      out.ephemeralStorage += toUnits(quantity);
      return;
    case 'pods':
      return;
    default:
      if (!isScalarResource(name)) return;
      out.scalar ??= new Map();
      out.scalar.set(name, (out.scalar.get(name) ?? 0) + toUnits(quantity));
  }
}

/** Extended resources (domain-prefixed names) and hugepages are checked by NodeResourcesFit. */
function isScalarResource(name: string): boolean {
  return name.startsWith('hugepages-') || (name.includes('/') && !name.startsWith('kubernetes.io/'));
}

interface Accumulator extends ResourceAmounts {
  nonZeroMilliCpu: number;
  nonZeroMemory: number;
}

function zero(): Accumulator {
  return { milliCpu: 0, memory: 0, ephemeralStorage: 0, scalar: undefined, nonZeroMilliCpu: 0, nonZeroMemory: 0 };
}

function containerRequests(container: Container): Accumulator {
  const requests = container.resources?.requests as Readonly<Record<string, unknown>> | undefined;
  const out = zero();
  if (requests) {
    for (const name in requests) if (Object.prototype.hasOwnProperty.call(requests, name)) addResource(out, name, requests[name]);
  }
  out.nonZeroMilliCpu = requests?.cpu === undefined ? DEFAULT_MILLI_CPU_REQUEST : out.milliCpu;
  out.nonZeroMemory = requests?.memory === undefined ? DEFAULT_MEMORY_REQUEST : out.memory;
  return out;
}

function addInto(target: Accumulator, source: Accumulator): void {
  target.milliCpu += source.milliCpu;
  target.memory += source.memory;
  target.ephemeralStorage += source.ephemeralStorage;
  target.nonZeroMilliCpu += source.nonZeroMilliCpu;
  target.nonZeroMemory += source.nonZeroMemory;
  if (source.scalar) {
    target.scalar ??= new Map();
    for (const [name, value] of source.scalar) target.scalar.set(name, (target.scalar.get(name) ?? 0) + value);
  }
}

function maxInto(target: Accumulator, source: Accumulator): void {
  target.milliCpu = Math.max(target.milliCpu, source.milliCpu);
  target.memory = Math.max(target.memory, source.memory);
  target.ephemeralStorage = Math.max(target.ephemeralStorage, source.ephemeralStorage);
  target.nonZeroMilliCpu = Math.max(target.nonZeroMilliCpu, source.nonZeroMilliCpu);
  target.nonZeroMemory = Math.max(target.nonZeroMemory, source.nonZeroMemory);
  if (source.scalar) {
    target.scalar ??= new Map();
    for (const [name, value] of source.scalar) target.scalar.set(name, Math.max(target.scalar.get(name) ?? 0, value));
  }
}

function copy(source: Accumulator): Accumulator {
  return { ...source, scalar: source.scalar ? new Map(source.scalar) : undefined };
}

function compute(pod: Pod): PodRequests {
  const spec = pod.spec;
  const total = zero();
  for (const container of spec?.containers ?? []) addInto(total, containerRequests(container));
  const sidecars = zero();
  const initMax = zero();
  for (const container of spec?.initContainers ?? []) {
    const own = containerRequests(container);
    if (container.restartPolicy === 'Always') {
      addInto(total, own);
      addInto(sidecars, own);
      maxInto(initMax, sidecars);
    } else {
      const step = copy(own);
      addInto(step, sidecars);
      maxInto(initMax, step);
    }
  }
  maxInto(total, initMax);
  const overhead = spec?.overhead as Readonly<Record<string, unknown>> | undefined;
  if (overhead) {
    const extra = amountsOf(overhead);
    addInto(total, { ...extra, nonZeroMilliCpu: extra.milliCpu, nonZeroMemory: extra.memory });
  }
  const empty = total.milliCpu === 0 && total.memory === 0 && total.ephemeralStorage === 0 && !total.scalar?.size;
  return {
    milliCpu: total.milliCpu,
    memory: total.memory,
    ephemeralStorage: total.ephemeralStorage,
    scalar: total.scalar,
    nonZeroMilliCpu: total.nonZeroMilliCpu,
    nonZeroMemory: total.nonZeroMemory,
    empty,
  };
}

// Informer objects are immutable (a change is a new object), so caching by identity is safe.
const cache = new WeakMap<Pod, PodRequests>();
// The last pod asked about: a scheduling cycle asks for the same pod once per node it looks at.
let lastPod: Pod | undefined;
let lastRequests: PodRequests | undefined;

export function podRequests(pod: Pod): PodRequests {
  if (pod === lastPod && lastRequests) return lastRequests;
  let requests = cache.get(pod);
  if (!requests) {
    requests = compute(pod);
    cache.set(pod, requests);
  }
  lastPod = pod;
  lastRequests = requests;
  return requests;
}

/**
 * Lets `copy` reuse what `original` requests: for a copy whose containers, init containers and
 * overhead are the very same objects (the scheduler's assumed pod, which only adds nodeName).
 */
export function shareRequests(original: Pod, copy: Pod): void {
  const requests = cache.get(original);
  if (
    requests &&
    copy.spec?.containers === original.spec?.containers &&
    copy.spec?.initContainers === original.spec?.initContainers &&
    copy.spec?.overhead === original.spec?.overhead
  ) {
    cache.set(copy, requests);
  }
}

// Canonical Endpoints subsets (upstream: pkg/api/v1/endpoints RepackSubsets). The controller first
// emits one subset per (pod, port); repacking groups them into the N-to-M form the API wants:
// ports that are served by exactly the same addresses (with the same readiness) share a subset.
//
// Worked example: pods a (ready) and b (not ready) both serve http:80; only a also serves
// metrics:9090 (b lacks the named port). Input: {a,[http]}, {b nr,[http]}, {a,[metrics]}.
// Output: {addresses [a], notReadyAddresses [b], ports [http]} and {addresses [a], ports
// [metrics]}. An address listed ready and not ready for one port counts as ready.
import type { EndpointAddress, EndpointPort, EndpointSubset } from 'kubernetes-types/core/v1.js';

/** Upstream's sentinel for "addresses without ports" (headless services without ports). */
const NO_PORT_KEY = '<none>';

function addressKey(address: EndpointAddress): string {
  return `${address.ip}\u0000${address.targetRef?.uid ?? ''}`;
}

function portKey(port: EndpointPort): string {
  return JSON.stringify([port.name ?? '', port.port, port.protocol ?? '', port.appProtocol ?? null]);
}

function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid ?? '';
  const ub = b.targetRef?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

function comparePorts(a: EndpointPort, b: EndpointPort): number {
  const ka = portKey(a);
  const kb = portKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function repackSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  const addresses = new Map<string, EndpointAddress>();
  const ports = new Map<string, EndpointPort | undefined>();
  /** port key -> address key -> ready */
  const readiness = new Map<string, Map<string, boolean>>();
  const record = (port: EndpointPort | undefined, address: EndpointAddress, ready: boolean): void => {
    const key = addressKey(address);
    if (!addresses.has(key)) addresses.set(key, address);
    const pk = port === undefined ? NO_PORT_KEY : portKey(port);
    if (!ports.has(pk)) ports.set(pk, port);
    let byAddress = readiness.get(pk);
    if (byAddress === undefined) readiness.set(pk, (byAddress = new Map()));
    if (byAddress.get(key) !== true) byAddress.set(key, ready);
  };
  for (const subset of subsets) {
    const subsetPorts: (EndpointPort | undefined)[] = (subset.ports ?? []).length > 0 ? [...(subset.ports ?? [])] : [undefined];
    for (const port of subsetPorts) {
      for (const address of subset.addresses ?? []) record(port, address, true);
      for (const address of subset.notReadyAddresses ?? []) record(port, address, false);
    }
  }
  // Group ports by the exact address->readiness set they are served by.
  const groups = new Map<string, { readonly byAddress: Map<string, boolean>; readonly ports: EndpointPort[] }>();
  for (const [pk, byAddress] of readiness) {
    const signature = JSON.stringify([...byAddress].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    let group = groups.get(signature);
    if (group === undefined) groups.set(signature, (group = { byAddress, ports: [] }));
    const port = ports.get(pk);
    if (port !== undefined) group.ports.push(port);
  }
  const result: EndpointSubset[] = [];
  for (const group of groups.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [key, isReady] of group.byAddress) {
      const address = addresses.get(key);
      if (address !== undefined) (isReady ? ready : notReady).push(address);
    }
    const subset: EndpointSubset = {
      ...(ready.length > 0 ? { addresses: ready.sort(compareAddresses) } : {}),
      ...(notReady.length > 0 ? { notReadyAddresses: notReady.sort(compareAddresses) } : {}),
      ...(group.ports.length > 0 ? { ports: group.ports.sort(comparePorts) } : {}),
    };
    result.push(subset);
  }
  // Any total order makes the output stable; upstream orders by a hash, we by content.
  return result.sort((a, b) => {
    const ka = JSON.stringify(a);
    const kb = JSON.stringify(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

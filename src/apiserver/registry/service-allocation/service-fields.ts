// The Service fields allocation reads and writes, and upstream's update-time fix-ups around them
// (pkg/registry/core/service: patchAllocatedValues, normalizeClusterIPs, dropTypeDependentFields).
// Pure functions over the JSON object, so they are tested without a store.
import type { KubeObject } from '../../../api/object.js';
import { arrayOf, isRecord, numberOf, recordsOf, stringOf, type JsonRecord } from '../../../api/validation/json-access.js';
import type { ReservationOwner } from './range-allocator.js';

export function specOf(svc: KubeObject): JsonRecord {
  if (!isRecord(svc['spec'])) svc['spec'] = {};
  return svc['spec'] as JsonRecord;
}

export function ownerOf(svc: KubeObject): ReservationOwner {
  const meta = svc.metadata ?? {};
  return { namespace: meta.namespace ?? '', name: meta.name ?? '', uid: meta.uid ?? '' };
}

export function typeOf(spec: JsonRecord): string {
  return stringOf(spec.type) || 'ClusterIP';
}

export function needsClusterIP(spec: JsonRecord): boolean {
  return typeOf(spec) !== 'ExternalName';
}

export function needsNodePort(spec: JsonRecord): boolean {
  const type = typeOf(spec);
  return type === 'NodePort' || type === 'LoadBalancer';
}

/** Upstream's NeedsHealthCheck: a LoadBalancer that keeps traffic on the receiving node. */
export function needsHealthCheckNodePort(spec: JsonRecord): boolean {
  return typeOf(spec) === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

/** NodePort always; a LoadBalancer unless allocateLoadBalancerNodePorts is false. */
export function shouldAllocateNodePorts(spec: JsonRecord): boolean {
  const type = typeOf(spec);
  return type === 'NodePort' || (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
}

export function clusterIPsOf(spec: JsonRecord): string[] {
  return arrayOf(spec.clusterIPs).map(stringOf);
}

export function isHeadless(spec: JsonRecord): boolean {
  return spec.clusterIP === 'None' || clusterIPsOf(spec)[0] === 'None';
}

export function nodePortOf(port: JsonRecord): number {
  return numberOf(port.nodePort) ?? 0;
}

/** The cluster IPs a stored Service holds (none for ExternalName and headless Services). */
export function heldClusterIPs(spec: JsonRecord): string[] {
  if (!needsClusterIP(spec) || isHeadless(spec)) return [];
  const ips = new Set(clusterIPsOf(spec).filter((ip) => ip !== ''));
  const single = stringOf(spec.clusterIP);
  if (single !== '') ips.add(single);
  return [...ips];
}

/** The node ports a stored Service holds: every port's nodePort and the healthCheckNodePort. */
export function heldNodePorts(spec: JsonRecord): number[] {
  const ports = new Set(recordsOf(spec.ports).map(nodePortOf).filter((p) => p !== 0));
  const health = numberOf(spec.healthCheckNodePort) ?? 0;
  if (health !== 0) ports.add(health);
  return [...ports];
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function sameClusterIPs(oldSpec: JsonRecord, spec: JsonRecord): boolean {
  return stringOf(oldSpec.clusterIP) === stringOf(spec.clusterIP) && sameStrings(clusterIPsOf(oldSpec), clusterIPsOf(spec));
}

/** The new node ports are a subset of the old: the user added none. */
function sameNodePorts(oldSpec: JsonRecord, spec: JsonRecord): boolean {
  const old = new Set(recordsOf(oldSpec.ports).map(nodePortOf));
  return recordsOf(spec.ports).map(nodePortOf).every((p) => p === 0 || old.has(p));
}

/**
 * A client that re-sends its original manifest (no clusterIP, no nodePorts) keeps what the server
 * allocated: upstream's patchAllocatedValues. Node ports are matched by port name.
 */
export function patchAllocatedValues(spec: JsonRecord, oldSpec: JsonRecord): void {
  if (needsClusterIP(oldSpec) && needsClusterIP(spec)) {
    if (stringOf(spec.clusterIP) === '' && stringOf(oldSpec.clusterIP) !== '') spec.clusterIP = oldSpec.clusterIP;
    if (clusterIPsOf(spec).length === 0 && clusterIPsOf(oldSpec).length > 0) spec.clusterIPs = [...clusterIPsOf(oldSpec)];
  }
  if (needsNodePort(oldSpec) && needsNodePort(spec)) {
    const newPorts = new Set(recordsOf(spec.ports).map(nodePortOf));
    const byName = new Map<string, number>();
    for (const port of recordsOf(oldSpec.ports)) byName.set(stringOf(port.name), nodePortOf(port));
    for (const port of recordsOf(spec.ports)) {
      if (nodePortOf(port) !== 0) continue;
      const previous = byName.get(stringOf(port.name)) ?? 0;
      // A value the new spec already uses elsewhere cannot be patched in twice.
      if (previous !== 0 && !newPorts.has(previous)) port.nodePort = previous;
    }
  }
  if (needsHealthCheckNodePort(oldSpec) && needsHealthCheckNodePort(spec) && (numberOf(spec.healthCheckNodePort) ?? 0) === 0) {
    const previous = numberOf(oldSpec.healthCheckNodePort) ?? 0;
    if (previous !== 0) spec.healthCheckNodePort = previous;
  }
}

/** Keeps clusterIP and clusterIPs in step the way upstream divines a client's intent. */
export function normalizeClusterIPs(spec: JsonRecord, oldSpec: JsonRecord | undefined): void {
  const ip = stringOf(spec.clusterIP);
  const ips = clusterIPsOf(spec);
  if (oldSpec === undefined) {
    if (ip !== '' && ips.length === 0) spec.clusterIPs = [ip];
    return;
  }
  const oldIp = stringOf(oldSpec.clusterIP);
  if (clusterIPsOf(oldSpec).length > 0 && ips.length === 0 && oldIp === ip) spec.clusterIPs = [...clusterIPsOf(oldSpec)];
  if (oldIp !== ip && sameStrings(clusterIPsOf(oldSpec), clusterIPsOf(spec))) {
    if (oldIp !== '' && ip === '') delete spec.clusterIPs;
    else spec.clusterIPs = [ip];
  }
}

/**
 * Fields that stop applying when the type changes are wiped, if the client left them as they were
 * (they will be released); a changed value is left for validation to refuse. Upstream's
 * dropTypeDependentFields.
 */
export function dropTypeDependentFields(spec: JsonRecord, oldSpec: JsonRecord): void {
  if (needsClusterIP(oldSpec) && !needsClusterIP(spec)) {
    if (sameClusterIPs(oldSpec, spec)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (spec.ipFamilyPolicy === oldSpec.ipFamilyPolicy && JSON.stringify(spec.ipFamilies) === JSON.stringify(oldSpec.ipFamilies)) {
      delete spec.ipFamilyPolicy;
      delete spec.ipFamilies;
    }
  }
  if (needsNodePort(oldSpec) && !needsNodePort(spec) && sameNodePorts(oldSpec, spec)) {
    for (const port of recordsOf(spec.ports)) delete port.nodePort;
  }
  if (needsHealthCheckNodePort(oldSpec) && !needsHealthCheckNodePort(spec) && spec.healthCheckNodePort === oldSpec.healthCheckNodePort) {
    delete spec.healthCheckNodePort;
  }
  if (typeOf(oldSpec) === 'LoadBalancer' && typeOf(spec) !== 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === oldSpec.allocateLoadBalancerNodePorts) {
    delete spec.allocateLoadBalancerNodePorts;
  }
  if (!needsClusterIP(spec) && spec.internalTrafficPolicy === oldSpec.internalTrafficPolicy) delete spec.internalTrafficPolicy;
  const externallyAccessible = needsNodePort(spec) || (typeOf(spec) === 'ClusterIP' && arrayOf(spec.externalIPs).length > 0);
  if (!externallyAccessible && spec.externalTrafficPolicy === oldSpec.externalTrafficPolicy) delete spec.externalTrafficPolicy;
}

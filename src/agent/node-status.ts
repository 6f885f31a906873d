// The Node object an agent reports (pure): labels, capacity/allocatable, addresses, nodeInfo,
// daemon endpoint and the four conditions with upstream's reasons and messages. Heartbeat times
// move on every report; transition times only when a condition's status changes.
import type { NodeCondition, NodeStatus } from 'kubernetes-types/core/v1.js';
import type { HostInfo } from './host-info.js';
import { nodeAllocatable } from './node-allocatable.js';
import { formatTime } from './pod-status.js';

export const KUBELET_VERSION = 'v1.32.0-k8ts';
export const MAX_PODS = 110;

export interface NodeDescription {
  readonly nodeName: string;
  readonly host: HostInfo;
  readonly address: string;
  readonly runtimeName: string;
  readonly runtimeVersion: string;
  readonly daemonPort: number;
  /** Replaces the host's numbers (hollow nodes, tests): `{ cpu: '4', memory: '8Gi' }`. */
  readonly capacity?: Readonly<Record<string, string>>;
  /** --system-reserved; with it, allocatable = capacity - reserve - hard eviction (node-allocatable.ts). */
  readonly systemReserved?: Readonly<Record<string, string>>;
}

export function nodeLabels(d: NodeDescription): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': d.host.architecture,
    'beta.kubernetes.io/os': d.host.operatingSystem,
    'kubernetes.io/arch': d.host.architecture,
    'kubernetes.io/hostname': d.nodeName,
    'kubernetes.io/os': d.host.operatingSystem,
  };
}

export function nodeCapacity(d: NodeDescription): Record<string, string> {
  const capacity: Record<string, string> = {
    cpu: String(d.host.cpus),
    memory: `${Math.floor(d.host.memoryBytes / 1024)}Ki`,
    pods: String(MAX_PODS),
  };
  if (d.host.ephemeralStorageBytes !== undefined) capacity['ephemeral-storage'] = `${Math.floor(d.host.ephemeralStorageBytes / 1024)}Ki`;
  return { ...capacity, ...(d.capacity ?? {}) };
}

const CONDITIONS: readonly (Omit<NodeCondition, 'lastHeartbeatTime' | 'lastTransitionTime'>)[] = [
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
];

export function desiredNodeStatus(d: NodeDescription, now: Date, old: NodeStatus | undefined): NodeStatus {
  const capacity = nodeCapacity(d);
  const stamp = formatTime(now);
  const conditions = CONDITIONS.map((c) => {
    const before = old?.conditions?.find((o) => o.type === c.type);
    const lastTransitionTime = before?.status === c.status && before.lastTransitionTime ? before.lastTransitionTime : stamp;
    return { ...c, lastHeartbeatTime: stamp, lastTransitionTime };
  });
  return {
    capacity,
    allocatable: nodeAllocatable(capacity, d.systemReserved),
    conditions,
    addresses: [
      { type: 'InternalIP', address: d.address },
      { type: 'Hostname', address: d.host.hostname },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: d.daemonPort } },
    nodeInfo: {
      machineID: d.host.machineID,
      systemUUID: d.host.machineID,
      bootID: d.host.bootID,
      kernelVersion: d.host.kernelVersion,
      osImage: d.host.osImage,
      containerRuntimeVersion: `${d.runtimeName}://${d.runtimeVersion}`,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: '',
      operatingSystem: d.host.operatingSystem,
      architecture: d.host.architecture,
    },
    ...(old?.images ? { images: old.images } : {}),
  };
}

/** Equal apart from heartbeat times: nothing new to report. */
export function sameApartFromHeartbeat(a: NodeStatus | undefined, b: NodeStatus | undefined): boolean {
  const strip = (s: NodeStatus | undefined): unknown => s && { ...s, conditions: (s.conditions ?? []).map((c) => ({ ...c, lastHeartbeatTime: undefined })) };
  return JSON.stringify(canonical(strip(a))) === JSON.stringify(canonical(strip(b)));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonical(v);
    }
    return out;
  }
  return value;
}

// Pure mapping between the runtime seam's sandbox types and CRI's, plus the labels and annotations
// the CRI runtime adds so that a new runtime instance (a restarted agent) can rebuild what it needs
// from containerd alone: which sandboxes are ours, and each sandbox's config (CreateContainer must
// send it again: containerd takes the log directory and cgroup parent from it).
import type { PodSandboxConfig, SandboxStatus } from '../runtime.js';
import type { CriPodSandbox, CriPodSandboxConfig, CriPodSandboxStatus, Labels } from './cri-messages.js';

/** On every sandbox and container we create; lists are filtered by it (others' pods stay invisible). */
export const OWNER_LABEL = 'io.k8ts.cri.owner';
/** On sandboxes: the CRI sandbox config as JSON. */
export const SANDBOX_CONFIG_ANNOTATION = 'io.k8ts.cri.sandbox-config';
/** On containers: the sandbox id (CRI ContainerStatus does not carry it). */
export const SANDBOX_ID_ANNOTATION = 'io.k8ts.cri.sandbox-id';
/** On containers: the image as the agent named it (containerd reports the normalized name). */
export const IMAGE_ANNOTATION = 'io.k8ts.cri.image';

export interface CriSandboxSettings {
  /** Value of OWNER_LABEL (one per agent sharing a containerd, e.g. the node name). */
  readonly owner: string;
  /** cgroupfs path under which each pod gets `pod<uid>`, e.g. `/k8ts`. */
  readonly cgroupRoot: string;
}

export function podCgroupParent(cgroupRoot: string, podUid: string): string {
  return `${cgroupRoot.replace(/\/+$/, '')}/pod${podUid}`;
}

export function toCriSandboxConfig(config: PodSandboxConfig, settings: CriSandboxSettings): CriPodSandboxConfig {
  return {
    metadata: { name: config.podName, uid: config.podUid, namespace: config.podNamespace, attempt: config.attempt },
    // runc refuses a hostname without a private UTS namespace, which host-network pods do not get.
    hostname: config.hostNetwork ? '' : config.hostname,
    logDirectory: config.logDirectory,
    ...(config.dnsConfig ? { dnsConfig: { servers: config.dnsConfig.servers, searches: config.dnsConfig.searches, options: config.dnsConfig.options } } : {}),
    // Ports without a hostPort need no mapping (portmap skips them anyway).
    portMappings: config.portMappings
      .filter((p) => p.hostPort !== undefined && p.hostPort > 0)
      .map((p) => ({ protocol: p.protocol, containerPort: p.containerPort, hostPort: p.hostPort ?? 0, hostIp: '' })),
    labels: { ...config.labels, [OWNER_LABEL]: settings.owner },
    annotations: {},
    linux: {
      cgroupParent: podCgroupParent(settings.cgroupRoot, config.podUid),
      securityContext: {
        // pid CONTAINER as kubelet does: proto3's zero value (POD) would make pause PID 1 of every container.
        namespaceOptions: { network: config.hostNetwork ? 'NODE' : 'POD', pid: 'CONTAINER', ipc: 'POD' },
      },
    },
  };
}

/** The config as it is stored on the sandbox (it cannot contain itself). */
export function withStoredConfig(config: CriPodSandboxConfig): CriPodSandboxConfig {
  return { ...config, annotations: { ...config.annotations, [SANDBOX_CONFIG_ANNOTATION]: JSON.stringify(config) } };
}

/** The config stored by withStoredConfig, undefined when absent or unreadable. */
export function storedSandboxConfig(annotations: Labels): CriPodSandboxConfig | undefined {
  const text = annotations[SANDBOX_CONFIG_ANNOTATION];
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as CriPodSandboxConfig;
  } catch {
    return undefined;
  }
}

export function withoutOwner(labels: Labels): Record<string, string> {
  const { [OWNER_LABEL]: _owner, ...rest } = labels;
  return rest;
}

export function nanosToDate(nanos: number): Date {
  return new Date(Math.floor(nanos / 1e6));
}

export function fromCriSandboxStatus(status: CriPodSandboxStatus | CriPodSandbox, ip?: string): SandboxStatus {
  return {
    id: status.id,
    podUid: status.metadata?.uid ?? '',
    state: status.state === 'SANDBOX_READY' ? 'ready' : 'notready',
    ...(ip ? { ip } : {}),
    createdAt: nanosToDate(status.createdAt),
    labels: withoutOwner(status.labels),
  };
}

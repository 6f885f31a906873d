// Pure mapping between the runtime seam's container types and CRI's.
import { isAbsolute, join, relative } from 'node:path';
import type { ContainerConfig, ContainerResources, ContainerState, ContainerStats, ContainerStatus } from '../runtime.js';
import type { CriContainerConfig, CriContainerState, CriContainerStats, CriContainerStatus, CriLinuxContainerResources, CriNamespaceOption } from './cri-messages.js';
import { IMAGE_ANNOTATION, nanosToDate, OWNER_LABEL, SANDBOX_ID_ANNOTATION, withoutOwner } from './cri-sandbox-mapping.js';

/**
 * The container's `tty`, kept where an attach can read it back: kubelet attaches with the TTY of
 * the container's spec, not the client's (whose input may be a pipe), and CRI status lacks it.
 */
export const TTY_ANNOTATION = 'io.k8ts.cri.tty';

/** kubelet's constants (pkg/kubelet/cm): the smallest cpu.shares, and the CFS period in µs. */
const MIN_SHARES = 2;
const QUOTA_PERIOD = 100_000;
const MIN_QUOTA = 1_000;

/**
 * Requests become cpu.shares, limits a CFS quota, as kubelet does. Worked example: a request of
 * 250m is 250 * 1024 / 1000 = 256 shares; a limit of 500m is 500 * 100000 / 1000 = 50000 µs of
 * quota per 100000 µs period (half a core). No request: 2 shares (the least, not the default 1024).
 */
export function toCriResources(resources: ContainerResources): CriLinuxContainerResources {
  const request = resources.cpuMillisRequest ?? 0;
  const shares = Math.max(MIN_SHARES, Math.floor((request * 1024) / 1000));
  const limit = resources.cpuMillisLimit;
  const hasLimit = limit !== undefined && limit > 0;
  return {
    cpuShares: shares,
    cpuPeriod: hasLimit ? QUOTA_PERIOD : 0,
    cpuQuota: hasLimit ? Math.max(MIN_QUOTA, Math.floor((limit * QUOTA_PERIOD) / 1000)) : 0,
    memoryLimitInBytes: resources.memoryBytesLimit ?? 0,
  };
}

/** CRI wants the log path relative to the sandbox's log directory; the seam passes it absolute. */
export function relativeLogPath(logDirectory: string, logPath: string): string {
  if (!isAbsolute(logPath)) return logPath;
  const rel = relative(logDirectory, logPath);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new Error(`container log path ${logPath} is not under the sandbox log directory ${logDirectory}`);
  }
  return rel;
}

export function toCriContainerConfig(
  sandboxId: string,
  config: ContainerConfig,
  sandbox: { readonly logDirectory: string; readonly owner: string; readonly namespaceOptions: CriNamespaceOption },
): CriContainerConfig {
  return {
    metadata: { name: config.name, attempt: config.attempt },
    image: { image: config.image },
    command: config.command,
    args: config.args,
    workingDir: config.workingDir ?? '',
    envs: config.env.map((e) => ({ key: e.name, value: e.value })),
    mounts: config.mounts.map((m) => ({ containerPath: m.containerPath, hostPath: m.hostPath, readonly: m.readOnly })),
    labels: { ...config.labels, [OWNER_LABEL]: sandbox.owner },
    annotations: { [SANDBOX_ID_ANNOTATION]: sandboxId, [IMAGE_ANNOTATION]: config.image, ...(config.tty ? { [TTY_ANNOTATION]: 'true' } : {}) },
    logPath: relativeLogPath(sandbox.logDirectory, config.logPath),
    stdin: config.stdin,
    // kubectl run -i sets it: containerd closes the stdin when the first attach ends.
    stdinOnce: config.stdinOnce ?? false,
    tty: config.tty,
    linux: {
      resources: toCriResources(config.resources),
      // The container's own PID namespace; network and IPC those of the sandbox (or the node's).
      securityContext: { namespaceOptions: sandbox.namespaceOptions },
    },
  };
}

const STATES: Record<CriContainerState, ContainerState> = {
  CONTAINER_CREATED: 'created',
  CONTAINER_RUNNING: 'running',
  CONTAINER_EXITED: 'exited',
  CONTAINER_UNKNOWN: 'unknown',
};

/**
 * `logDirectory`: the sandbox's, for runtimes that report the log path as given (relative);
 * containerd reports it already joined.
 */
export function fromCriContainerStatus(status: CriContainerStatus, logDirectory?: string): ContainerStatus {
  const state = STATES[status.state];
  const logPath = isAbsolute(status.logPath) || !logDirectory || status.logPath === '' ? status.logPath : join(logDirectory, status.logPath);
  return {
    id: status.id,
    sandboxId: status.annotations[SANDBOX_ID_ANNOTATION] ?? '',
    name: status.metadata?.name ?? '',
    image: status.annotations[IMAGE_ANNOTATION] ?? status.image?.image ?? '',
    attempt: status.metadata?.attempt ?? 0,
    state,
    createdAt: nanosToDate(status.createdAt),
    ...(status.startedAt > 0 ? { startedAt: nanosToDate(status.startedAt) } : {}),
    ...(status.finishedAt > 0 ? { finishedAt: nanosToDate(status.finishedAt) } : {}),
    ...(state === 'exited' ? { exitCode: status.exitCode } : {}),
    ...(status.reason ? { reason: status.reason } : {}),
    ...(status.message ? { message: status.message } : {}),
    logPath,
    labels: withoutOwner(status.labels),
  };
}

/** undefined for containers without CPU figures (not running: no cgroup to read). */
/** `now` stands in for a missing timestamp. */
export function fromCriContainerStats(stats: CriContainerStats, now: Date): ContainerStats | undefined {
  const attributes = stats.attributes;
  if (!attributes || !stats.cpu) return undefined;
  const timestamp = stats.cpu.timestamp || stats.memory?.timestamp || 0;
  return {
    containerId: attributes.id,
    sandboxId: attributes.annotations[SANDBOX_ID_ANNOTATION] ?? '',
    name: attributes.metadata?.name ?? '',
    timestamp: timestamp > 0 ? nanosToDate(timestamp) : now,
    ...(stats.cpu.usageCoreNanoSeconds ? { cpuUsageCoreNanoSeconds: stats.cpu.usageCoreNanoSeconds.value } : {}),
    ...(stats.memory?.workingSetBytes ? { memoryWorkingSetBytes: stats.memory.workingSetBytes.value } : {}),
  };
}

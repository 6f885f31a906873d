// Pods made with raw CRI calls (RunPodSandbox -> CreateContainer -> StartContainer), shaped like
// the agent's (pid namespace per container, cgroup parent /k8ts-direct/pod<uid>, a log directory):
// the "direct CRI" baseline of bench/containers.bench.ts, and real pods for the containerd
// harness's own test.
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { removeCgroupParent } from '../../src/agent/runtime/cri/cgroup-parent.js';
import { CriClient } from '../../src/agent/runtime/cri/cri-client.js';
import type { CriContainerConfig, CriPodSandboxConfig } from '../../src/agent/runtime/cri/cri-messages.js';

export { CriClient };

export interface DirectPodOptions {
  readonly name: string;
  readonly image: string;
  /** Pod log directories go below it. */
  readonly logRoot: string;
  readonly namespace?: string;
  readonly hostPort?: { readonly containerPort: number; readonly hostPort: number };
  readonly command?: readonly string[];
  readonly memoryLimitBytes?: number;
}

export interface DirectPod {
  readonly uid: string;
  readonly sandboxId: string;
  readonly containerId: string;
  readonly ip: string;
  /** Milliseconds of each step. */
  readonly times: { readonly sandbox: number; readonly create: number; readonly start: number };
}

export function directSandboxConfig(options: DirectPodOptions, uid: string): CriPodSandboxConfig {
  const namespace = options.namespace ?? 'default';
  return {
    metadata: { name: options.name, uid, namespace, attempt: 0 },
    hostname: options.name,
    logDirectory: join(options.logRoot, `${namespace}_${options.name}_${uid}`),
    portMappings: options.hostPort === undefined ? [] : [{ protocol: 'TCP', ...options.hostPort, hostIp: '' }],
    labels: { 'io.k8ts.bench': 'direct' },
    annotations: {},
    linux: {
      cgroupParent: `/k8ts-direct/pod${uid}`,
      securityContext: { namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } },
    },
  };
}

function containerConfig(options: DirectPodOptions): CriContainerConfig {
  return {
    metadata: { name: 'main', attempt: 0 },
    image: { image: options.image },
    command: options.command ?? [],
    args: [],
    workingDir: '',
    envs: [],
    mounts: [],
    labels: {},
    annotations: {},
    logPath: 'main/0.log',
    stdin: false,
    stdinOnce: false,
    tty: false,
    linux: {
      // What the agent asks for a pod without requests: the minimum shares, no quota.
      resources: { cpuPeriod: 0, cpuQuota: 0, cpuShares: 2, memoryLimitInBytes: options.memoryLimitBytes ?? 0 },
      securityContext: { namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } },
    },
  };
}

export async function runDirectPod(client: CriClient, options: DirectPodOptions): Promise<DirectPod> {
  const uid = randomUUID();
  const sandboxConfig = directSandboxConfig(options, uid);
  await mkdir(sandboxConfig.logDirectory, { recursive: true });
  const t0 = performance.now();
  const sandboxId = await client.runPodSandbox(sandboxConfig);
  const t1 = performance.now();
  const containerId = await client.createContainer(sandboxId, containerConfig(options), sandboxConfig);
  const t2 = performance.now();
  await client.startContainer(containerId);
  const t3 = performance.now();
  const status = await client.podSandboxStatus(sandboxId);
  return { uid, sandboxId, containerId, ip: status.network?.ip ?? '', times: { sandbox: t1 - t0, create: t2 - t1, start: t3 - t2 } };
}

export async function removeDirectPod(client: CriClient, pod: Pick<DirectPod, 'sandboxId' | 'uid'>): Promise<void> {
  await client.stopPodSandbox(pod.sandboxId);
  await client.removePodSandbox(pod.sandboxId);
  // containerd leaves the pod's cgroup parent behind (containerd-node.md §2).
  await removeCgroupParent(`/k8ts-direct/pod${pod.uid}`);
}

// TypeScript shapes of the CRI messages in cri-proto.ts, as @grpc/proto-loader hands them over
// with our load options: camelCase field names, enums as their names, int64 as number, and every
// field present with its proto3 default (so a response's zero values need no `?? 0`).

export type Labels = Record<string, string>;
export type CriProtocol = 'TCP' | 'UDP' | 'SCTP';
export type CriNamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
export type CriSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type CriContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

export interface CriVersion {
  readonly version: string;
  readonly runtimeName: string;
  readonly runtimeVersion: string;
  readonly runtimeApiVersion: string;
}

export interface CriRuntimeCondition {
  readonly type: string;
  readonly status: boolean;
  readonly reason: string;
  readonly message: string;
}

export interface CriNamespaceOption {
  readonly network: CriNamespaceMode;
  readonly pid: CriNamespaceMode;
  readonly ipc: CriNamespaceMode;
}

export interface CriPodSandboxMetadata {
  readonly name: string;
  readonly uid: string;
  readonly namespace: string;
  readonly attempt: number;
}

export interface CriPodSandboxConfig {
  readonly metadata: CriPodSandboxMetadata;
  readonly hostname: string;
  readonly logDirectory: string;
  /** containerd writes the sandbox's resolv.conf from it; absent: the host's. */
  readonly dnsConfig?: { readonly servers: readonly string[]; readonly searches: readonly string[]; readonly options: readonly string[] };
  readonly portMappings: readonly { readonly protocol: CriProtocol; readonly containerPort: number; readonly hostPort: number; readonly hostIp: string }[];
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly linux: {
    readonly cgroupParent: string;
    readonly securityContext: { readonly namespaceOptions: CriNamespaceOption };
  };
}

export interface CriPodSandboxStatus {
  readonly id: string;
  readonly metadata: CriPodSandboxMetadata | null;
  readonly state: CriSandboxState;
  /** Nanoseconds since the epoch. */
  readonly createdAt: number;
  readonly network: { readonly ip: string } | null;
  readonly labels: Labels;
  readonly annotations: Labels;
}

export interface CriPodSandbox {
  readonly id: string;
  readonly metadata: CriPodSandboxMetadata | null;
  readonly state: CriSandboxState;
  readonly createdAt: number;
  readonly labels: Labels;
  readonly annotations: Labels;
}

export interface CriPodSandboxFilter {
  readonly id?: string;
  readonly state?: { readonly state: CriSandboxState };
  readonly labelSelector?: Labels;
}

export interface CriLinuxContainerResources {
  readonly cpuPeriod: number;
  readonly cpuQuota: number;
  readonly cpuShares: number;
  readonly memoryLimitInBytes: number;
}

export interface CriContainerConfig {
  readonly metadata: { readonly name: string; readonly attempt: number };
  readonly image: { readonly image: string };
  readonly command: readonly string[];
  readonly args: readonly string[];
  readonly workingDir: string;
  readonly envs: readonly { readonly key: string; readonly value: string }[];
  readonly mounts: readonly { readonly containerPath: string; readonly hostPath: string; readonly readonly: boolean }[];
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly logPath: string;
  readonly stdin: boolean;
  readonly stdinOnce: boolean;
  readonly tty: boolean;
  readonly linux: {
    readonly resources: CriLinuxContainerResources;
    readonly securityContext: { readonly namespaceOptions: CriNamespaceOption };
  };
}

export interface CriContainer {
  readonly id: string;
  readonly podSandboxId: string;
  readonly metadata: { readonly name: string; readonly attempt: number } | null;
  readonly image: { readonly image: string } | null;
  readonly imageRef: string;
  readonly state: CriContainerState;
  readonly createdAt: number;
  readonly labels: Labels;
  readonly annotations: Labels;
}

export interface CriContainerFilter {
  readonly id?: string;
  readonly state?: { readonly state: CriContainerState };
  readonly podSandboxId?: string;
  readonly labelSelector?: Labels;
}

export interface CriContainerStatus {
  readonly id: string;
  readonly metadata: { readonly name: string; readonly attempt: number } | null;
  readonly state: CriContainerState;
  /** Nanoseconds since the epoch; 0 when not (yet) started or finished. */
  readonly createdAt: number;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly exitCode: number;
  readonly image: { readonly image: string } | null;
  readonly imageRef: string;
  readonly reason: string;
  readonly message: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  /** Absolute (containerd joins the sandbox's log_directory and the container's log_path). */
  readonly logPath: string;
}

export interface CriExecSyncResult {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  readonly exitCode: number;
}

export interface CriExecRequest {
  readonly containerId: string;
  readonly cmd: readonly string[];
  readonly tty: boolean;
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
}

export interface CriAttachRequest {
  readonly containerId: string;
  readonly stdin: boolean;
  readonly tty: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
}

export interface CriUInt64Value {
  readonly value: number;
}

export interface CriContainerStats {
  readonly attributes: { readonly id: string; readonly metadata: { readonly name: string; readonly attempt: number } | null; readonly labels: Labels; readonly annotations: Labels } | null;
  readonly cpu: { readonly timestamp: number; readonly usageCoreNanoSeconds: CriUInt64Value | null; readonly usageNanoCores: CriUInt64Value | null } | null;
  readonly memory: { readonly timestamp: number; readonly workingSetBytes: CriUInt64Value | null } | null;
}

export interface CriAuthConfig {
  readonly username?: string;
  readonly password?: string;
  readonly auth?: string;
  readonly serverAddress?: string;
  readonly identityToken?: string;
}

export interface CriImage {
  readonly id: string;
  readonly repoTags: readonly string[];
  readonly repoDigests: readonly string[];
  readonly size: number;
}

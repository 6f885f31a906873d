// ContainerRuntime: the CRI-shaped seam between the node agent and what runs containers
// (DESIGN.md, "The seams"). Implementations: process/ (host processes), fake/ (hollow, for scale
// tests), and later cri/ (containerd). Everything a runtime creates carries the labels the agent
// gives it, so a restarted agent can find and re-adopt what is already running.

export interface PortMapping {
  readonly containerPort: number;
  readonly hostPort?: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

export interface PodSandboxConfig {
  readonly podUid: string;
  readonly podName: string;
  readonly podNamespace: string;
  /** Restart count of the sandbox itself (recreated sandboxes get attempt + 1). */
  readonly attempt: number;
  readonly hostname: string;
  readonly hostNetwork: boolean;
  readonly portMappings: readonly PortMapping[];
  /** Directory under which container log files are written. */
  readonly logDirectory: string;
  readonly labels: Readonly<Record<string, string>>;
}

export type SandboxState = 'ready' | 'notready';

export interface SandboxStatus {
  readonly id: string;
  readonly podUid: string;
  readonly state: SandboxState;
  /** The pod's IP (host IP for host-network sandboxes). */
  readonly ip?: string;
  readonly createdAt: Date;
  readonly labels: Readonly<Record<string, string>>;
}

export interface Mount {
  readonly containerPath: string;
  readonly hostPath: string;
  readonly readOnly: boolean;
}

export interface ContainerResources {
  readonly cpuMillisRequest?: number;
  readonly cpuMillisLimit?: number;
  readonly memoryBytesLimit?: number;
}

export interface ContainerConfig {
  readonly name: string;
  readonly image: string;
  /** Resolved command line (pod spec command/args, already combined with the image defaults). */
  readonly command: readonly string[];
  readonly args: readonly string[];
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly workingDir?: string;
  readonly mounts: readonly Mount[];
  /** Absolute path of this attempt's log file (CRI log format). */
  readonly logPath: string;
  readonly attempt: number;
  readonly resources: ContainerResources;
  readonly tty: boolean;
  readonly stdin: boolean;
  readonly labels: Readonly<Record<string, string>>;
}

export type ContainerState = 'created' | 'running' | 'exited' | 'unknown';

export interface ContainerStatus {
  readonly id: string;
  readonly sandboxId: string;
  readonly name: string;
  readonly image: string;
  readonly attempt: number;
  readonly state: ContainerState;
  readonly createdAt: Date;
  readonly startedAt?: Date;
  readonly finishedAt?: Date;
  readonly exitCode?: number;
  /** `OOMKilled`, `Error`, `Completed`, ... when exited. */
  readonly reason?: string;
  readonly message?: string;
  readonly logPath: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RuntimeCapabilities {
  /** Pods get their own network namespace and IP (else they share the host network). */
  readonly podNetworking: boolean;
  /** Images are really pulled (false: recorded only, and the agent says so in an Event). */
  readonly pullsImages: boolean;
}

export interface ContainerRuntime {
  readonly name: string;
  readonly capabilities: RuntimeCapabilities;
  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  /** Stops every container of the sandbox and releases its network; idempotent. */
  stopPodSandbox(sandboxId: string): Promise<void>;
  removePodSandbox(sandboxId: string): Promise<void>;
  podSandboxStatus(sandboxId: string): Promise<SandboxStatus>;
  listPodSandboxes(): Promise<SandboxStatus[]>;
  /** Returns an image reference; the process and fake runtimes only record the name. */
  pullImage(image: string): Promise<{ readonly imageRef: string; readonly sizeBytes?: number }>;
  createContainer(sandboxId: string, config: ContainerConfig): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  /** SIGTERM, then SIGKILL after timeoutSeconds; idempotent; resolves once the container exited. */
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;
  removeContainer(containerId: string): Promise<void>;
  containerStatus(containerId: string): Promise<ContainerStatus>;
  listContainers(filter?: { readonly sandboxId?: string }): Promise<ContainerStatus[]>;
  /** Runs a command in the container's context (exec probes); kills it after timeoutSeconds. */
  execSync(containerId: string, command: readonly string[], timeoutSeconds: number): Promise<ExecResult>;
  close(): Promise<void>;
}

import type { Duplex, Readable, Writable } from 'node:stream';

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
  /** The pod's resolv.conf (kubelet's rules, pod-dns-config.ts); absent: the node's own. */
  readonly dnsConfig?: SandboxDnsConfig;
}

/** CRI's DNSConfig: the lines of a resolv.conf. */
export interface SandboxDnsConfig {
  readonly servers: readonly string[];
  readonly searches: readonly string[];
  /** `ndots:5`, `edns0`, ... */
  readonly options: readonly string[];
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
  /** Keep a stdin open for the main process (kubectl attach -i, run -i). */
  readonly stdin: boolean;
  /** Close that stdin (EOF) when the first attach session ends (kubectl run -i sets it). */
  readonly stdinOnce?: boolean;
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

/** Registry credentials for one pull (from the pod's imagePullSecrets, dockerconfigjson). */
export interface ImageAuth {
  readonly serverAddress: string;
  readonly username?: string;
  readonly password?: string;
  /** base64("user:password"), as in a docker config's `auth`. */
  readonly auth?: string;
  readonly identityToken?: string;
}

export interface ImageInfo {
  /** Image id or digest reference, what containerStatuses[].imageID shows. */
  readonly imageRef: string;
  readonly sizeBytes?: number;
}

export interface ExecRequest {
  readonly containerId: string;
  readonly command: readonly string[];
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
  readonly tty: boolean;
}

/** kubectl attach: the container's main process, not a new command. */
export interface AttachRequest {
  readonly containerId: string;
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
  /** As the container was created (kubectl matches it); stderr is then merged into stdout. */
  readonly tty: boolean;
}

/** A running exec (kubectl exec): its streams, resize, and how it ended. */
export interface ExecSession {
  /** Present when stdin was asked for; end() is EOF for the command. */
  readonly stdin?: Writable;
  readonly stdout?: Readable;
  /** Absent with a TTY (stderr is merged into stdout). */
  readonly stderr?: Readable;
  resize(width: number, height: number): void;
  /** Exit code, once the command ended and its output streams ended. Rejects if it could not run. */
  readonly exit: Promise<number>;
  /** The client went away: end the command. Idempotent. */
  close(): void;
}

/** Cumulative usage of one container at one instant; rates are the agent's business. */
export interface ContainerStats {
  readonly containerId: string;
  readonly sandboxId: string;
  readonly name: string;
  readonly timestamp: Date;
  /** CPU time used since the container started, in core-nanoseconds. */
  readonly cpuUsageCoreNanoSeconds?: number;
  /** Memory working set (usage minus inactive file cache), bytes. */
  readonly memoryWorkingSetBytes?: number;
}

export interface RuntimeCapabilities {
  /** Pods get their own network namespace and IP (else they share the host network). */
  readonly podNetworking: boolean;
  /** Images are really pulled (false: recorded only, and the agent says so in an Event). */
  readonly pullsImages: boolean;
  /** attach() sessions carry the container's live output (else the agent follows its log file). */
  readonly attachStreamsOutput?: boolean;
  /** Pods have a hostname of their own (a UTS namespace); false: their processes see the node's. */
  readonly podHostnames?: boolean;
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
  pullImage(image: string, options?: { readonly auth?: ImageAuth }): Promise<ImageInfo>;
  /** The image when present on this node (imagePullPolicy IfNotPresent/Never), else undefined. */
  imageStatus(image: string): Promise<ImageInfo | undefined>;
  createContainer(sandboxId: string, config: ContainerConfig): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  /** SIGTERM, then SIGKILL after timeoutSeconds; idempotent; resolves once the container exited. */
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;
  removeContainer(containerId: string): Promise<void>;
  containerStatus(containerId: string): Promise<ContainerStatus>;
  listContainers(filter?: { readonly sandboxId?: string }): Promise<ContainerStatus[]>;
  /** Runs a command in the container's context (exec probes); kills it after timeoutSeconds. */
  execSync(containerId: string, command: readonly string[], timeoutSeconds: number): Promise<ExecResult>;
  /** Starts a command in the container with streams (kubectl exec, cp); NotFound when no such container. */
  exec(request: ExecRequest): Promise<ExecSession>;
  /**
   * Attaches to the container's main process (kubectl attach -i, run -i). The session's stdin is
   * present when asked for and the container keeps one (ContainerConfig.stdin; otherwise what the
   * client sends is dropped, as containerd does); ending it detaches, or with stdinOnce (and no
   * TTY) is the process's EOF. stdout/stderr are the live output when the runtime streams it;
   * absent, the caller reads the container's log file. `exit` resolves (0) when the attach is over:
   * the container exited or the client detached. NotFound when no such container.
   */
  attach(request: AttachRequest): Promise<ExecSession>;
  /**
   * One connection to `port` inside the sandbox's network namespace (kubectl port-forward opens one
   * per accepted local connection). Rejects when nothing listens there.
   */
  portForward(sandboxId: string, port: number): Promise<Duplex>;
  /** Usage of every running container (metrics API, kubectl top). */
  listContainerStats(): Promise<ContainerStats[]>;
  close(): Promise<void>;
}

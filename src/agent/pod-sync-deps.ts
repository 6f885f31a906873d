// What every pod's sync shares: the runtime, the client, and the helpers built once per agent.
import type { EventRecorder } from '../client/events/event-recorder.js';
import type { ClientSet } from '../client/resource-client.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { CrashLoopBackoff } from './backoff.js';
import type { ConfigSource } from './container-env.js';
import type { ContainerKiller } from './container-killer.js';
import type { ContainerStarter } from './container-starter.js';
import type { PodDnsSettings } from './pod-dns-config.js';
import type { PodStatusWriter } from './pod-status-writer.js';
import type { ProbeExecutor } from './probes/run-probe.js';
import type { ContainerRuntime } from './runtime/runtime.js';

export interface PodSyncDeps {
  readonly runtime: ContainerRuntime;
  readonly clients: ClientSet;
  readonly recorder: EventRecorder;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly dataDir: string;
  /** Where secret/projected volumes go (a tmpfs, memory-root.ts); absent: the data dir. */
  readonly memoryDir?: string;
  readonly hostIP: string;
  readonly source: ConfigSource;
  readonly starter: ContainerStarter;
  readonly killer: ContainerKiller;
  readonly backoff: CrashLoopBackoff;
  readonly probeExecutor: ProbeExecutor;
  readonly statusWriter: PodStatusWriter;
  /** How soon a sync looks at the runtime again when nothing else is due (notices container exits). */
  readonly resyncMs: number;
  /** How often configMap/secret/downwardAPI/projected volumes are re-rendered (default 60 s; 0: never). */
  readonly volumeResyncMs?: number;
  /** What pods' resolv.conf is made from; absent: every pod keeps the node's. */
  readonly dns?: PodDnsSettings;
  /** Give containers kubelet's managed /etc/hosts (hosts-file-mount.ts); the runtime must apply mounts. */
  readonly manageEtcHosts?: boolean;
}

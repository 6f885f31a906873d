// NodeAgent: the kubelet of k8ts. Registers its Node, renews its Lease, watches the pods bound to
// it (fieldSelector spec.nodeName=<node>) and runs one PodWorker per pod behind the
// ContainerRuntime seam. On start it re-adopts what the runtime already runs for its pods and
// removes what belongs to pods deleted while it was down. Stopping the agent leaves containers
// running (like kubelet); stopAllPods() is there for embedded setups and tests that want them gone.
import { mkdir } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { EventRecorder } from '../client/events/event-recorder.js';
import type { InformerFactory } from '../client/informer/informer.js';
import type { ClientSet } from '../client/resource-client.js';
import { PODS } from '../client/resource-types.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { removeOrphans, takeInventory, type RuntimeInventory } from './adoption.js';
import { CrashLoopBackoff } from './backoff.js';
import { clientConfigSource } from './client-config-source.js';
import { ContainerKiller } from './container-killer.js';
import { ContainerStarter } from './container-starter.js';
import { defaultNodeAddress, readHostInfo, type HostInfo } from './host-info.js';
import { chooseMemoryRoot, releaseMemoryRoot, removeMemoryRoot } from './memory-root.js';
import { NodeLease } from './node-lease.js';
import { NodeRegistration } from './node-registration.js';
import { nodeCapacity, type NodeDescription } from './node-status.js';
import { nodeAllocatable } from './node-allocatable.js';
import { clientPullSecretSource } from './images/pull-secrets.js';
import type { PodObject } from './object-types.js';
import { PodStatusWriter } from './pod-status-writer.js';
import type { PodDnsSettings } from './pod-dns-config.js';
import type { PodSyncDeps } from './pod-sync-deps.js';
import { PodSync } from './pod-sync.js';
import { removeOrphanPodDirs } from './pod-volumes.js';
import { PodWorkers } from './pod-worker.js';
import { probeExecutor, type ProbeExecutor } from './probes/run-probe.js';
import type { ContainerRuntime } from './runtime/runtime.js';
import { tryParseQuantity } from '../api/quantity.js';

export interface NodeAgentOptions {
  readonly clients: ClientSet;
  /** Where the pod informer comes from; the caller starts it (start(signal) after the agent's run began is fine). */
  readonly informers: InformerFactory;
  readonly runtime: ContainerRuntime;
  readonly nodeName: string;
  readonly dataDir: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Should stamp source component `kubelet` and host `nodeName`. */
  readonly recorder: EventRecorder;
  /** Replaces host capacity entries: `{ cpu: '4', memory: '8Gi', pods: '110' }`. */
  readonly capacity?: Readonly<Record<string, string>>;
  /** --system-reserved: allocatable = capacity - this - hard eviction; undefined: allocatable = capacity. */
  readonly systemReserved?: Readonly<Record<string, string>>;
  readonly podCidr?: string;
  readonly leaseDurationSeconds?: number;
  readonly renewIntervalMs?: number;
  readonly statusUpdateIntervalMs?: number;
  readonly statusReportIntervalMs?: number;
  /** The node's InternalIP (default: the first non-internal IPv4). */
  readonly address?: string;
  /** Port of the agent's log server (status.daemonEndpoints.kubeletEndpoint.Port). */
  readonly daemonPort?: number;
  /** How often a pod's sync polls the runtime when nothing else is due (default 1000 ms). */
  readonly podResyncMs?: number;
  /** How often a pod's configMap/secret/downwardAPI/projected volumes follow their sources (default 60 s; 0: never). */
  readonly volumeResyncMs?: number;
  readonly runtimeVersion?: string;
  /** Cluster DNS as pods see it (kubelet's --cluster-dns, --cluster-domain, --resolv-conf); absent: the node's resolver for every pod. */
  readonly dns?: PodDnsSettings;
  /** Mount kubelet's managed /etc/hosts into containers (needs a runtime that applies mounts). */
  readonly manageEtcHosts?: boolean;
  /** Tests: fixed host facts instead of reading the machine. */
  readonly hostInfo?: HostInfo;
  /** Tests: probes without network. */
  readonly probeExecutor?: ProbeExecutor;
}

export class NodeAgent {
  private readonly options: NodeAgentOptions;
  private readonly logger: Logger;
  private readonly address: string;
  private workersRef: PodWorkers | undefined;
  private inventory: RuntimeInventory | undefined;
  /** The memory root of secret/projected volumes (memory-root.ts), once run() chose one. */
  private memoryDir: string | undefined;
  private ready = false;

  constructor(options: NodeAgentOptions) {
    this.options = options;
    this.logger = options.logger;
    this.address = options.address ?? defaultNodeAddress();
  }

  /** The pod workers (after run() began). */
  get workers(): PodWorkers | undefined {
    return this.workersRef;
  }

  /** Resolves when the agent registered, adopted, and handed every known pod to a worker. */
  get started(): boolean {
    return this.ready;
  }

  async run(signal: AbortSignal): Promise<void> {
    const o = this.options;
    await mkdir(o.dataDir, { recursive: true });
    const host = o.hostInfo ?? (await readHostInfo(o.dataDir));
    const registration = new NodeRegistration({
      clients: o.clients, clock: o.clock, logger: o.logger,
      ...(o.podCidr ? { podCidr: o.podCidr } : {}),
      ...(o.statusReportIntervalMs !== undefined ? { statusReportIntervalMs: o.statusReportIntervalMs } : {}),
      description: this.description(host),
    });
    await this.retry(signal, 'register node', () => registration.register());
    if (signal.aborted) return;
    const lease = new NodeLease({
      clients: o.clients, clock: o.clock, logger: o.logger, nodeName: o.nodeName,
      node: () => registration.current, leaseDurationSeconds: o.leaseDurationSeconds ?? 40,
    });
    const loops = [
      this.every(signal, o.renewIntervalMs ?? 10_000, 'renew lease', () => lease.renew()),
      this.every(signal, o.statusUpdateIntervalMs ?? 10_000, 'update node status', () => registration.report()),
    ];

    const memory = await chooseMemoryRoot({ dataDir: o.dataDir });
    if (memory.dir === undefined) o.logger.info({ reason: memory.reason, dataDir: o.dataDir }, 'secret and projected volumes are kept on disk in the data dir');
    this.memoryDir = memory.dir;
    const roots = { dataDir: o.dataDir, ...(memory.dir !== undefined ? { memoryDir: memory.dir } : {}) };
    const workers = this.createWorkers(nodeAllocatable(nodeCapacity(this.description(host)), o.systemReserved), roots.memoryDir);
    this.workersRef = workers;
    const informer = o.informers.informerFor<PodObject>(PODS, { fieldSelector: `spec.nodeName=${o.nodeName}` });
    informer.addHandlers({
      add: (pod) => this.ready && void workers.update(pod),
      update: (_old, pod) => this.ready && void workers.update(pod),
      delete: (pod) => this.ready && void workers.delete(pod.metadata?.uid ?? ''),
    });
    await o.informers.waitForSync(signal);
    if (signal.aborted) return;
    await this.retry(signal, 'adopt runtime state', async () => {
      this.inventory = await takeInventory(o.runtime);
      const pods = informer.lister.list();
      const live = new Set(pods.map((p) => p.metadata?.uid ?? ''));
      await removeOrphans(o.runtime, this.inventory, live, o.logger);
      // Volumes (tmpfs mounts among them) of pods deleted while the agent was down.
      const gone = await removeOrphanPodDirs(roots, live);
      if (gone.length > 0) o.logger.info({ pods: gone.length }, 'removed directories of pods that are gone');
      for (const pod of pods) void workers.update(pod);
    });
    this.ready = true;
    o.logger.info({ node: o.nodeName, pods: workers.uids().length }, 'node agent started');
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    workers.stop();
    await Promise.allSettled(loops);
    if (memory.dir !== undefined) await releaseMemoryRoot(memory.dir);
  }

  private description(host: HostInfo): NodeDescription {
    const o = this.options;
    return {
      nodeName: o.nodeName, host, address: this.address, runtimeName: o.runtime.name, runtimeVersion: o.runtimeVersion ?? '0.1.0',
      daemonPort: o.daemonPort ?? 10250, ...(o.capacity ? { capacity: o.capacity } : {}),
      ...(o.systemReserved ? { systemReserved: o.systemReserved } : {}),
    };
  }

  private createWorkers(allocatable: Readonly<Record<string, string>>, memoryDir: string | undefined): PodWorkers {
    const o = this.options;
    const source = clientConfigSource(o.clients);
    const nodeAllocatable = { cpu: tryParseQuantity(allocatable.cpu ?? '1') ?? 1, memory: tryParseQuantity(allocatable.memory ?? '0') ?? 0 };
    const deps: PodSyncDeps = {
      runtime: o.runtime, clients: o.clients, recorder: o.recorder, clock: o.clock, logger: o.logger,
      dataDir: o.dataDir, ...(memoryDir !== undefined ? { memoryDir } : {}), hostIP: this.address, source,
      starter: new ContainerStarter({
        runtime: o.runtime, recorder: o.recorder, clock: o.clock, source, nodeAllocatable, pullSecrets: clientPullSecretSource(o.clients),
      }),
      killer: new ContainerKiller({ runtime: o.runtime, recorder: o.recorder, clock: o.clock, logger: o.logger }),
      backoff: new CrashLoopBackoff(),
      probeExecutor: o.probeExecutor ?? probeExecutor(o.runtime),
      statusWriter: new PodStatusWriter({ pods: o.clients.resource<PodObject>(PODS) }),
      resyncMs: o.podResyncMs ?? 1000,
      ...(o.volumeResyncMs !== undefined ? { volumeResyncMs: o.volumeResyncMs } : {}),
      ...(o.dns ? { dns: o.dns } : {}),
      ...(o.manageEtcHosts === true ? { manageEtcHosts: true } : {}),
    };
    return new PodWorkers({
      logger: o.logger,
      createSync: (uid) => {
        const adopted = this.inventory?.pods.get(uid);
        this.inventory?.pods.delete(uid);
        return new PodSync(deps, { uid, ...(adopted ? { adopted } : {}) });
      },
    });
  }

  /** Stops every pod's containers and removes its sandbox (pod objects stay): `--stop-pods-on-exit`. */
  async stopAllPods(): Promise<void> {
    const workers = this.workersRef;
    if (!workers) return;
    workers.stop();
    await workers.idle();
    await Promise.all(workers.uids().map(async (uid) => { await workers.syncOf(uid)?.shutdown(); }));
  }

  /**
   * After run() ended and every pod was stopped behind the agent's back (`--stop-pods-on-exit`
   * removes the sandboxes through the runtime): the pods' secret/projected volumes leave memory.
   * A pod still bound here gets them written again when an agent runs it next.
   */
  async removeMemoryVolumes(): Promise<void> {
    if (this.memoryDir !== undefined) await removeMemoryRoot(this.memoryDir);
  }

  /** The log file of a pod's container (previous: the attempt before the current one). */
  async resolveLogPath(namespace: string, podName: string, container: string, previous: boolean): Promise<string | undefined> {
    const workers = this.workersRef;
    if (!workers) return undefined;
    const pod = this.options.informers.informerFor<PodObject>(PODS, { fieldSelector: `spec.nodeName=${this.options.nodeName}` }).lister.get(namespace, podName);
    const uid = pod?.metadata?.uid;
    if (!uid) return undefined;
    return workers.syncOf(uid)?.logPath(container, previous);
  }

  private async retry(signal: AbortSignal, what: string, action: () => Promise<unknown>): Promise<void> {
    for (let wait = 500; !signal.aborted; wait = Math.min(wait * 2, 10_000)) {
      try {
        await action();
        return;
      } catch (error) {
        this.logger.warn({ err: error, what }, 'node agent step failed, retrying');
        await delay(wait, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  private async every(signal: AbortSignal, intervalMs: number, what: string, action: () => Promise<unknown>): Promise<void> {
    while (!signal.aborted) {
      try {
        await action();
      } catch (error) {
        this.logger.warn({ err: error, what }, 'node agent periodic step failed');
      }
      await delay(intervalMs, undefined, { signal }).catch(() => undefined);
    }
  }
}

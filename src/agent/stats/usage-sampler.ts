// The agent's usage sampler, what metrics-server's scrape loop plus kubelet's stats are for
// `kubectl top`: every intervalMs it asks the runtime for the cumulative usage of every running
// container (and /proc for the node's), keeps a few samples per container, and reports rates over
// the newest window (usage-window.ts). A container seen for the first time gets its second sample
// after quickIntervalMs (1 s) rather than a whole interval, so a new pod shows in `kubectl top`
// about 1-11 s after it started instead of 10-20 s. A report asked for when the newest sample is
// older than maxAgeMs (the loop stalled or is not running) samples first.
// Containers map to pods through the sandbox labels the agent put on (runtime-labels.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { ContainerRuntime } from '../runtime/runtime.js';
import { POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL, type PodIdentity } from '../runtime-labels.js';
import type { NodeUsageReader } from './node-usage-reader.js';
import type { ContainerUsage, PodUsage, UsageReport, WindowedUsage } from './usage-report.js';
import { UsageWindow, type UsageRate } from './usage-window.js';

export interface UsageSamplerOptions {
  readonly runtime: Pick<ContainerRuntime, 'listContainerStats' | 'listPodSandboxes'>;
  /** The node's cumulative usage; absent: the report has no node part. */
  readonly readNode?: NodeUsageReader;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly intervalMs?: number;
  readonly quickIntervalMs?: number;
  readonly minWindowMs?: number;
  readonly maxAgeMs?: number;
}

interface ContainerSeries {
  readonly sandboxId: string;
  readonly name: string;
  readonly window: UsageWindow;
}

const DEFAULT_INTERVAL_MS = 10_000;
const DEFAULT_QUICK_INTERVAL_MS = 1_000;
const DEFAULT_MIN_WINDOW_MS = 1_000;

export class UsageSampler {
  readonly #runtime: UsageSamplerOptions['runtime'];
  readonly #readNode: NodeUsageReader | undefined;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #intervalMs: number;
  readonly #quickIntervalMs: number;
  readonly #minWindowMs: number;
  readonly #maxAgeMs: number;
  readonly #containers = new Map<string, ContainerSeries>();
  readonly #pods = new Map<string, PodIdentity>();
  readonly #node: UsageWindow;
  #lastSampleAt: number | undefined;
  #inFlight: Promise<boolean> | undefined;
  #nodeFailed = false;

  constructor(options: UsageSamplerOptions) {
    this.#runtime = options.runtime;
    this.#readNode = options.readNode;
    this.#clock = options.clock;
    this.#logger = options.logger.child({ component: 'usage-sampler' });
    this.#intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.#quickIntervalMs = options.quickIntervalMs ?? DEFAULT_QUICK_INTERVAL_MS;
    this.#minWindowMs = options.minWindowMs ?? DEFAULT_MIN_WINDOW_MS;
    this.#maxAgeMs = options.maxAgeMs ?? this.#intervalMs * 1.5;
    this.#node = new UsageWindow({ minWindowMs: this.#minWindowMs });
  }

  /** Samples every interval (sooner after new containers) until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let sawNew = false;
      try {
        sawNew = await this.sample();
      } catch (error) {
        this.#logger.warn({ err: error }, 'usage sample failed');
      }
      try {
        await sleep(sawNew ? this.#quickIntervalMs : this.#intervalMs, undefined, { signal });
      } catch {
        return;
      }
    }
  }

  /** Takes one sample (concurrent callers share it); true when it saw a new container. */
  sample(): Promise<boolean> {
    this.#inFlight ??= this.#sample().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  /** Rates over the newest windows; samples first when the newest sample is too old. */
  async report(): Promise<UsageReport> {
    const now = this.#clock.now().getTime();
    if (this.#lastSampleAt === undefined || now - this.#lastSampleAt > this.#maxAgeMs) await this.sample();
    return this.#report();
  }

  async #sample(): Promise<boolean> {
    const [stats, sandboxes] = await Promise.all([this.#runtime.listContainerStats(), this.#runtime.listPodSandboxes()]);
    this.#pods.clear();
    for (const sandbox of sandboxes) {
      const uid = sandbox.labels[POD_UID_LABEL];
      const name = sandbox.labels[POD_NAME_LABEL];
      const namespace = sandbox.labels[POD_NAMESPACE_LABEL];
      if (uid !== undefined && name !== undefined && namespace !== undefined) this.#pods.set(sandbox.id, { uid, name, namespace });
    }
    let sawNew = false;
    const seen = new Set<string>();
    for (const stat of stats) {
      seen.add(stat.containerId);
      let series = this.#containers.get(stat.containerId);
      if (!series) {
        series = { sandboxId: stat.sandboxId, name: stat.name, window: new UsageWindow({ minWindowMs: this.#minWindowMs }) };
        this.#containers.set(stat.containerId, series);
        sawNew = true;
      }
      series.window.add({
        at: stat.timestamp.getTime(),
        ...(stat.cpuUsageCoreNanoSeconds !== undefined ? { cpuUsageCoreNanoSeconds: stat.cpuUsageCoreNanoSeconds } : {}),
        ...(stat.memoryWorkingSetBytes !== undefined ? { memoryWorkingSetBytes: stat.memoryWorkingSetBytes } : {}),
      });
    }
    // Containers that stopped (or restarted under a new id) start a fresh series next time.
    for (const id of this.#containers.keys()) if (!seen.has(id)) this.#containers.delete(id);
    await this.#sampleNode();
    this.#lastSampleAt = this.#clock.now().getTime();
    return sawNew;
  }

  async #sampleNode(): Promise<void> {
    if (!this.#readNode) return;
    try {
      const usage = await this.#readNode();
      this.#node.add({ at: this.#clock.now().getTime(), ...usage });
      this.#nodeFailed = false;
    } catch (error) {
      // Once per failure streak: a node without /proc would log every 10 s otherwise.
      if (!this.#nodeFailed) this.#logger.warn({ err: error }, 'cannot read node usage');
      this.#nodeFailed = true;
    }
  }

  #report(): UsageReport {
    const pods = new Map<string, { pod: PodIdentity; containers: ContainerUsage[]; end: number; windowSeconds: number }>();
    for (const series of this.#containers.values()) {
      const pod = this.#pods.get(series.sandboxId);
      const rate = series.window.rate();
      if (!pod || !rate) continue;
      let entry = pods.get(pod.uid);
      if (!entry) {
        entry = { pod, containers: [], end: 0, windowSeconds: 0 };
        pods.set(pod.uid, entry);
      }
      entry.containers.push({ name: series.name, cpuNanoCores: rate.cpuNanoCores, memoryWorkingSetBytes: rate.memoryWorkingSetBytes });
      // The pod's window ends at its newest container sample and spans the longest window.
      entry.end = Math.max(entry.end, rate.timestamp.getTime());
      entry.windowSeconds = Math.max(entry.windowSeconds, rate.windowSeconds);
    }
    const items: PodUsage[] = [...pods.values()].map(({ pod, containers, end, windowSeconds }) => ({
      namespace: pod.namespace,
      name: pod.name,
      uid: pod.uid,
      timestamp: new Date(end).toISOString(),
      windowSeconds,
      containers: containers.sort((a, b) => a.name.localeCompare(b.name)),
    }));
    items.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
    const nodeRate = this.#node.rate();
    return { ...(nodeRate ? { node: windowed(nodeRate) } : {}), pods: items };
  }
}

function windowed(rate: UsageRate): WindowedUsage {
  return {
    cpuNanoCores: rate.cpuNanoCores,
    memoryWorkingSetBytes: rate.memoryWorkingSetBytes,
    timestamp: rate.timestamp.toISOString(),
    windowSeconds: rate.windowSeconds,
  };
}

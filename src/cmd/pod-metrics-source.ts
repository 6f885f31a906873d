// The HPA controller's PodMetricsSource in a server: what GET metrics.k8s.io/.../pods answers,
// without going through HTTP. Pods and nodes are read through the controllers' ClientSet, usage
// from the node agents with the same fetcher the metrics API uses (apiserver/metrics-api), asked
// in parallel with a short timeout; a node whose agent fails is skipped and logged, so its pods
// count as missing metrics, as they would behind metrics-server.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import { labelSelectorToString, type LabelSelectorRequirementSet } from '../api/selectors/label-selector.js';
import { agentUsageFetcher, type AgentPodUsage, type FetchNodeUsage } from '../apiserver/metrics-api/agent-usage-client.js';
import type { ClientSet } from '../client/resource-client.js';
import { NODES, PODS } from '../client/resource-types.js';
import type { PodMetricsSource, PodUsage } from '../controllers/hpa/pod-metrics-source.js';
import type { Logger } from '../lib/logger.js';

export interface AgentPodMetricsSourceOptions {
  readonly clients: ClientSet;
  /** The token agents accept (the admin token, as the API server sends for metrics and logs). */
  readonly agentToken: string;
  readonly logger: Logger;
  /** Default: HTTPS GET /stats/usage on the node's agent. */
  readonly fetchUsage?: FetchNodeUsage;
  /** Per-agent timeout (default 5 s, as the metrics API). */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;

function isReady(node: Node): boolean {
  return (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Nanocores to millicores rounded up, as Quantity.MilliValue() reads "1234567n" (2m). */
function cpuMilli(nanoCores: number): number {
  return Math.ceil(nanoCores / 1e6);
}

function toPodUsage(usage: AgentPodUsage): PodUsage | undefined {
  const timestampMs = Date.parse(usage.timestamp);
  if (Number.isNaN(timestampMs)) return undefined;
  return {
    timestampMs,
    windowMs: usage.windowSeconds * 1000,
    containers: new Map(usage.containers.map((c) => [c.name, { cpuMilli: cpuMilli(c.cpuNanoCores), memoryBytes: c.memoryWorkingSetBytes }])),
  };
}

export class AgentPodMetricsSource implements PodMetricsSource {
  readonly #clients: ClientSet;
  readonly #agentToken: string;
  readonly #logger: Logger;
  readonly #fetchUsage: FetchNodeUsage;
  readonly #timeoutMs: number;

  constructor(options: AgentPodMetricsSourceOptions) {
    this.#clients = options.clients;
    this.#agentToken = options.agentToken;
    this.#logger = options.logger;
    this.#fetchUsage = options.fetchUsage ?? agentUsageFetcher();
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async podMetrics(namespace: string, selector: LabelSelectorRequirementSet, signal: AbortSignal): Promise<ReadonlyMap<string, PodUsage>> {
    if (selector.matchesNothing) return new Map();
    const pods = (await this.#clients.resource<Pod & KubeObject>(PODS).list(namespace, { labelSelector: labelSelectorToString(selector), readOnly: true })).items;
    const nodeNames = new Set(pods.map((p) => p.spec?.nodeName).filter((n) => n !== undefined && n !== ''));
    if (nodeNames.size === 0) return new Map();
    const nodes = (await this.#clients.resource<Node & KubeObject>(NODES).list(undefined, { readOnly: true })).items
      .filter((n) => nodeNames.has(n.metadata?.name ?? '') && isReady(n));
    const usageByUid = await this.#usageByUid(nodes, signal);
    const result = new Map<string, PodUsage>();
    for (const pod of pods) {
      const usage = usageByUid.get(pod.metadata?.uid ?? '');
      const converted = usage && toPodUsage(usage);
      if (converted) result.set(pod.metadata?.name ?? '', converted);
    }
    return result;
  }

  async #usageByUid(nodes: readonly Node[], signal: AbortSignal): Promise<Map<string, AgentPodUsage>> {
    const reports = await Promise.all(nodes.map(async (node) => {
      try {
        return await this.#fetchUsage(node, this.#agentToken, AbortSignal.any([signal, AbortSignal.timeout(this.#timeoutMs)]));
      } catch (error) {
        this.#logger.warn({ err: error, node: node.metadata?.name }, 'cannot get usage from node agent; skipping the node');
        return undefined;
      }
    }));
    const byUid = new Map<string, AgentPodUsage>();
    for (const report of reports) for (const pod of report?.pods ?? []) byUid.set(pod.uid, pod);
    return byUid;
  }
}

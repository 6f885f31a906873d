// GET /apis/metrics.k8s.io/v1beta1/{nodes[/name], [namespaces/<ns>/]pods[/name]} (kubectl-wire
// §3.18, `kubectl top`). Like metrics-server: the pods and nodes come from the API (so label and
// field selectors and names work as for `get`), their usage from the node agents, asked in
// parallel with a short timeout; a node whose agent fails is skipped and logged. Pods (and nodes)
// without a full usage window yet are left out of lists and are NotFound on get. Answers JSON
// (kubectl asks for protobuf first but takes JSON).
import type { IncomingMessage } from 'node:http';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { ResourceRequest } from '../http/resource-handler.js';
import { resourceNotFound } from '../http/resource-handler.js';
import { sendJson } from '../http/respond.js';
import { MethodNotSupportedError, ResourceNotFoundError } from '../registry/api-errors.js';
import type { ApiRegistryView, ResourceRegistry } from '../registry/registry-types.js';
import { agentUsageFetcher, type AgentPodUsage, type AgentUsageReport, type FetchNodeUsage } from './agent-usage-client.js';
import { METRICS_API_VERSION, METRICS_GROUP, METRICS_VERSION } from './metrics-api-group.js';
import { formatCpuNanoCores, formatMemoryBytes, formatWindow } from './metrics-quantity.js';

export interface MetricsApiHandlerOptions {
  readonly registry: ApiRegistryView;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How one node's agent is asked; default: HTTPS GET /stats/usage. */
  readonly fetchUsage?: FetchNodeUsage;
  /** The token sent to agents; absent: the caller's own bearer token is passed on (as for logs). */
  readonly agentToken?: string;
  /** Per-agent timeout. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;

function isReady(node: Node): boolean {
  return (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') === true ? header.slice('Bearer '.length).trim() : undefined;
}

export class MetricsApiHandler {
  readonly #registry: ApiRegistryView;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #fetchUsage: FetchNodeUsage;
  readonly #agentToken: string | undefined;
  readonly #timeoutMs: number;

  constructor(options: MetricsApiHandlerOptions) {
    this.#registry = options.registry;
    this.#clock = options.clock;
    this.#logger = options.logger.child({ component: 'metrics-api' });
    this.#fetchUsage = options.fetchUsage ?? agentUsageFetcher();
    this.#agentToken = options.agentToken;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Whether the URL is this API's (its discovery is DiscoveryDocuments' business). */
  static handles(group: string): boolean {
    return group === METRICS_GROUP;
  }

  async handle(request: ResourceRequest): Promise<number> {
    const { req, res, url, path, labels } = request;
    const known = path.version === METRICS_VERSION && path.subresource === undefined
      && ((path.resource === 'pods' && (path.namespace !== undefined || path.name === undefined)) || (path.resource === 'nodes' && path.namespace === undefined));
    if (!known) throw resourceNotFound();
    labels.resource = path.resource;
    const watch = url.searchParams.get('watch');
    if (req.method !== 'GET' || (watch !== null && watch !== '' && watch !== 'false' && watch !== '0')) throw new MethodNotSupportedError();
    labels.verb = path.name === undefined ? 'LIST' : 'GET';
    const token = this.#agentToken ?? bearerToken(req);
    const query = {
      ...(url.searchParams.get('labelSelector') ? { labelSelector: url.searchParams.get('labelSelector') ?? '' } : {}),
      ...(url.searchParams.get('fieldSelector') ? { fieldSelector: url.searchParams.get('fieldSelector') ?? '' } : {}),
    };
    let body: object;
    if (path.resource === 'nodes') {
      body = path.name === undefined ? await this.#nodeList(query, token) : await this.#node(path.name, token);
    } else if (path.name === undefined) {
      body = await this.#podList(path.namespace, query, token);
    } else {
      body = await this.#pod(path.namespace ?? '', path.name, token);
    }
    sendJson(res, 200, body);
    return 200;
  }

  #core(resource: 'pods' | 'nodes'): ResourceRegistry {
    const registry = this.#registry.lookup('', 'v1', resource);
    if (!registry) throw resourceNotFound();
    return registry;
  }

  /** Every node's report, asked in parallel; failures are logged and left out. */
  async #reports(nodes: readonly Node[], token: string | undefined): Promise<AgentUsageReport[]> {
    const answers = await Promise.all(
      nodes.map(async (node) => {
        const name = node.metadata?.name ?? '';
        try {
          return await this.#fetchUsage(node, token, AbortSignal.timeout(this.#timeoutMs));
        } catch (error) {
          this.#logger.warn({ err: error, node: name }, 'cannot get usage from node agent; skipping the node');
          return undefined;
        }
      }),
    );
    return answers.filter((a) => a !== undefined);
  }

  async #podList(namespace: string | undefined, query: object, token: string | undefined): Promise<object> {
    const pods = (await this.#core('pods').list(namespace, query)).items as Pod[];
    const nodeNames = new Set(pods.map((p) => p.spec?.nodeName).filter((n) => n !== undefined && n !== ''));
    const nodes = ((await this.#core('nodes').list(undefined, {})).items as Node[]).filter((n) => nodeNames.has(n.metadata?.name ?? '') && isReady(n));
    const usage = byUid(await this.#reports(nodes, token));
    const items = sortPods(pods).flatMap((p) => {
      const found = usage.get(p.metadata?.uid ?? '');
      return found ? [this.#podMetrics(p, found)] : [];
    });
    return { kind: 'PodMetricsList', apiVersion: METRICS_API_VERSION, metadata: {}, items };
  }

  async #pod(namespace: string, name: string, token: string | undefined): Promise<object> {
    // A missing pod is `pods "x" not found`, a pod without usage yet the metrics resource's 404.
    const pod = (await this.#core('pods').get(namespace, name)) as Pod;
    const notFound = new ResourceNotFoundError({ group: METRICS_GROUP, resource: 'podmetrics' }, `${namespace}/${name}`);
    const nodeName = pod.spec?.nodeName;
    if (nodeName === undefined || nodeName === '') throw notFound;
    const node = (await this.#core('nodes').get(undefined, nodeName)) as Node;
    const found = byUid(await this.#reports([node], token)).get(pod.metadata?.uid ?? '');
    if (!found) throw notFound;
    return { kind: 'PodMetrics', apiVersion: METRICS_API_VERSION, ...this.#podMetrics(pod, found) };
  }

  async #nodeList(query: object, token: string | undefined): Promise<object> {
    const nodes = ((await this.#core('nodes').list(undefined, query)).items as Node[]).filter(isReady);
    nodes.sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
    const reports = await Promise.all(nodes.map(async (node) => ({ node, report: (await this.#reports([node], token))[0] })));
    const items = reports.flatMap(({ node, report }) => (report?.node ? [this.#nodeMetrics(node, report)] : []));
    return { kind: 'NodeMetricsList', apiVersion: METRICS_API_VERSION, metadata: {}, items };
  }

  async #node(name: string, token: string | undefined): Promise<object> {
    const node = (await this.#core('nodes').get(undefined, name)) as Node;
    const report = (await this.#reports([node], token))[0];
    if (!report?.node) throw new ResourceNotFoundError({ group: METRICS_GROUP, resource: 'nodemetrics' }, name);
    return { kind: 'NodeMetrics', apiVersion: METRICS_API_VERSION, ...this.#nodeMetrics(node, report) };
  }

  #podMetrics(pod: Pod, usage: AgentPodUsage): object {
    return {
      metadata: {
        name: pod.metadata?.name ?? usage.name,
        namespace: pod.metadata?.namespace ?? usage.namespace,
        creationTimestamp: this.#clock.now().toISOString(),
        ...(pod.metadata?.labels ? { labels: pod.metadata.labels } : {}),
      },
      timestamp: usage.timestamp,
      window: formatWindow(usage.windowSeconds),
      containers: usage.containers.map((c) => ({
        name: c.name,
        usage: { cpu: formatCpuNanoCores(c.cpuNanoCores), memory: formatMemoryBytes(c.memoryWorkingSetBytes) },
      })),
    };
  }

  #nodeMetrics(node: Node, report: AgentUsageReport): object {
    const usage = report.node;
    return {
      metadata: {
        name: node.metadata?.name ?? '',
        creationTimestamp: this.#clock.now().toISOString(),
        ...(node.metadata?.labels ? { labels: node.metadata.labels } : {}),
      },
      timestamp: usage?.timestamp ?? this.#clock.now().toISOString(),
      window: formatWindow(usage?.windowSeconds ?? 0),
      usage: { cpu: formatCpuNanoCores(usage?.cpuNanoCores ?? 0), memory: formatMemoryBytes(usage?.memoryWorkingSetBytes ?? 0) },
    };
  }
}

function byUid(reports: readonly AgentUsageReport[]): Map<string, AgentPodUsage> {
  const map = new Map<string, AgentPodUsage>();
  for (const report of reports) for (const pod of report.pods) map.set(pod.uid, pod);
  return map;
}

/** The order the pods API lists in (namespace, then name), as metrics-server keeps it. */
function sortPods(pods: readonly Pod[]): Pod[] {
  const key = (p: Pod): string => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
  return [...pods].sort((a, b) => key(a).localeCompare(key(b)));
}

// kube-proxy's service health checks: a LoadBalancer Service with externalTrafficPolicy Local has
// a spec.healthCheckNodePort, and every node's proxy answers HTTP on that port with how many ready
// endpoints of the Service run on this node, so an external load balancer sends traffic only to
// nodes that have one (200 when there is at least one, 503 otherwise). Any path is answered. As
// upstream, a node whose proxy is unhealthy (proxy-health.ts) answers 503 even with local
// endpoints: its rules may be stale, so the load balancer should not pick it.
// Terminating endpoints do not count (the node should be drained); endpoints are counted by IP,
// so one pod serving two ports counts once.
import { createServer, type Server } from 'node:http';
import type { Logger } from '../../lib/logger.js';
import type { ProxyEndpointSliceObject, ProxyServiceObject } from './proxy-object-types.js';

export interface HealthCheckTarget {
  readonly namespace: string;
  readonly name: string;
  readonly port: number;
  readonly localEndpoints: number;
}

/** The Services that need a health check node port, with their local ready endpoint counts. */
export function healthCheckTargets(
  services: readonly ProxyServiceObject[],
  slicesByService: ReadonlyMap<string, readonly ProxyEndpointSliceObject[]>,
  nodeName: string,
): HealthCheckTarget[] {
  const targets: HealthCheckTarget[] = [];
  for (const service of services) {
    const spec = service.spec;
    const port = spec?.healthCheckNodePort ?? 0;
    if (spec?.type !== 'LoadBalancer' || spec.externalTrafficPolicy !== 'Local' || port <= 0) continue;
    const namespace = service.metadata?.namespace ?? '';
    const name = service.metadata?.name ?? '';
    const ips = new Set<string>();
    for (const slice of slicesByService.get(`${namespace}/${name}`) ?? []) {
      for (const endpoint of slice.endpoints ?? []) {
        const ip = endpoint.addresses[0];
        if (ip !== undefined && endpoint.nodeName === nodeName && (endpoint.conditions?.ready ?? true)) ips.add(ip);
      }
    }
    targets.push({ namespace, name, port, localEndpoints: ips.size });
  }
  return targets;
}

/** The answer body, laid out as kube-proxy prints it (tab-indented JSON). */
export function healthCheckBody(target: HealthCheckTarget, proxyHealthy: boolean): string {
  return [
    '{',
    '\t"service": {',
    `\t\t"namespace": ${JSON.stringify(target.namespace)},`,
    `\t\t"name": ${JSON.stringify(target.name)}`,
    '\t},',
    `\t"localEndpoints": ${target.localEndpoints},`,
    `\t"serviceProxyHealthy": ${proxyHealthy}`,
    '}',
  ].join('\n');
}

interface Listener {
  target: HealthCheckTarget;
  readonly server: Server;
}

/** One HTTP server per health check node port, opened and closed as Services come and go. */
export class HealthCheckServers {
  private readonly address: string;
  private readonly logger: Logger;
  private readonly listeners = new Map<number, Listener>();
  /** Ports that could not be opened; retried on every sync, reported once. */
  private readonly failed = new Set<number>();
  private readonly isProxyHealthy: () => boolean;

  /** isProxyHealthy: the proxy's own health (ProxyHealth.isHealthy); absent: always healthy. */
  constructor(options: { readonly address: string; readonly logger: Logger; readonly isProxyHealthy?: () => boolean }) {
    this.address = options.address;
    this.logger = options.logger;
    this.isProxyHealthy = options.isProxyHealthy ?? (() => true);
  }

  /** Ports currently served; for tests. */
  get ports(): number[] {
    return [...this.listeners.keys()].sort((a, b) => a - b);
  }

  async sync(targets: readonly HealthCheckTarget[]): Promise<void> {
    const wanted = new Map(targets.map((target) => [target.port, target]));
    for (const [port, listener] of this.listeners) {
      if (!wanted.has(port)) {
        this.listeners.delete(port);
        await closeServer(listener.server);
      }
    }
    for (const [port, target] of wanted) {
      const existing = this.listeners.get(port);
      if (existing) existing.target = target;
      else await this.open(target);
    }
  }

  async close(): Promise<void> {
    const servers = [...this.listeners.values()].map((listener) => listener.server);
    this.listeners.clear();
    await Promise.all(servers.map(closeServer));
  }

  private async open(target: HealthCheckTarget): Promise<void> {
    const listener: Listener = { target, server: createServer() };
    listener.server.on('request', (_req, res) => {
      const current = listener.target;
      const proxyHealthy = this.isProxyHealthy();
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('X-Load-Balancing-Endpoint-Weight', String(current.localEndpoints));
      res.statusCode = current.localEndpoints > 0 && proxyHealthy ? 200 : 503;
      res.end(healthCheckBody(current, proxyHealthy));
    });
    try {
      await new Promise<void>((resolve, reject) => {
        listener.server.once('error', reject);
        listener.server.listen(target.port, this.address, () => {
          listener.server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      if (!this.failed.has(target.port)) {
        this.failed.add(target.port);
        this.logger.warn({ err: error, port: target.port, service: `${target.namespace}/${target.name}` }, 'cannot serve the health check node port');
      }
      return;
    }
    this.failed.delete(target.port);
    this.listeners.set(target.port, listener);
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

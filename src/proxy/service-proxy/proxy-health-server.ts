// kube-proxy's healthz server (--healthz-bind-address, 0.0.0.0:10256): cloud load balancers probe
// /healthz on every node for externalTrafficPolicy Cluster Services, and /livez is the liveness
// probe of the proxy itself. Both answer JSON in kube-proxy's layout, 200 or 503:
//   /healthz  {"lastUpdated": "...","currentTime": "...", "nodeEligible": true}  503 when the
//             proxy is unhealthy or the node is not eligible (being deleted / autoscaler taint)
//   /livez    {"lastUpdated": "...","currentTime": "..."}                        503 when unhealthy
// While healthy, lastUpdated is the current time (kube-proxy keeps that for old clients); the
// times are printed as Go prints a time.Time, in UTC. Other paths answer 404.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProxyHealth } from './proxy-health.js';

/** kube-proxy's default --healthz-bind-address port. */
export const DEFAULT_PROXY_HEALTHZ_PORT = 10256;

/** Go's time.Time.String() for a UTC time (`2006-01-02 15:04:05.999999999 +0000 UTC`); undefined: Go's zero time. */
export function goTimeString(date: Date | undefined): string {
  if (date === undefined) return '0001-01-01 00:00:00 +0000 UTC';
  const iso = date.toISOString(); // 2026-01-02T03:04:05.678Z
  const fraction = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction === '' ? '' : `.${fraction}`} +0000 UTC`;
}

export interface ProxyHealthAnswer {
  readonly status: 200 | 503;
  readonly body: string;
}

/** The answer to /healthz (withNode) or /livez, from the health's current state. */
export function proxyHealthAnswer(health: ProxyHealth, withNode: boolean): ProxyHealthAnswer {
  const state = health.status();
  const healthy = state.healthy && (!withNode || state.nodeEligible);
  const lastUpdated = goTimeString(healthy ? state.currentTime : state.lastUpdated);
  const times = `"lastUpdated": ${JSON.stringify(lastUpdated)},"currentTime": ${JSON.stringify(goTimeString(state.currentTime))}`;
  return {
    status: healthy ? 200 : 503,
    body: withNode ? `{${times}, "nodeEligible": ${state.nodeEligible}}` : `{${times}}`,
  };
}

export class ProxyHealthServer {
  private readonly health: ProxyHealth;
  private readonly server: Server;

  constructor(options: { readonly health: ProxyHealth }) {
    this.health = options.health;
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== '/healthz' && path !== '/livez') {
        res.statusCode = 404;
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.end('404 page not found\n');
        return;
      }
      const answer = proxyHealthAnswer(this.health, path === '/healthz');
      res.statusCode = answer.status;
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.end(answer.body);
    });
  }

  /** Listens on host:port (0 picks a free port); rejects when it cannot (EADDRINUSE, ...). */
  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  close(): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

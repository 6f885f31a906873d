// The gateway's admin endpoint (plain HTTP, bind it to loopback): GET /metrics answers the
// per-backend request metrics in Prometheus text format, GET /stats answers the windowed query
// rollout analysis uses (backend-metrics.ts: StatsQuery/StatsResult), GET /healthz answers ok.
// It serves whatever `snapshot()` returns: the supervisor merges its workers' snapshots.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { parseStatsQuery, queryStats, StatsQueryError, type MetricsSnapshot } from './backend-metrics.js';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from './metrics-prometheus.js';

export interface AdminServerOptions {
  readonly address: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly clock: Clock;
  readonly logger: Logger;
  snapshot(): Promise<MetricsSnapshot>;
}

export class AdminServer {
  private readonly options: AdminServerOptions;
  private readonly server: Server;

  constructor(options: AdminServerOptions) {
    this.options = options;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        options.logger.warn({ err: error }, 'gateway admin request failed');
        if (!res.headersSent) reply(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
        else res.destroy();
      });
    });
    this.server.keepAliveTimeout = 5000;
  }

  /** The bound port (after listen). */
  get port(): number {
    return (this.server.address() as AddressInfo | null)?.port ?? 0;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.address, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://admin');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      reply(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
      return;
    }
    switch (url.pathname) {
      case '/metrics':
        reply(res, 200, PROMETHEUS_CONTENT_TYPE, renderPrometheus(await this.options.snapshot()));
        return;
      case '/stats': {
        let query;
        try {
          query = parseStatsQuery(url.searchParams);
        } catch (error) {
          if (!(error instanceof StatsQueryError)) throw error;
          reply(res, 400, 'application/json', `${JSON.stringify({ error: error.message })}\n`);
          return;
        }
        const result = queryStats(await this.options.snapshot(), query, this.options.clock.now().getTime());
        reply(res, 200, 'application/json', `${JSON.stringify(result)}\n`);
        return;
      }
      case '/healthz':
        reply(res, 200, 'text/plain; charset=utf-8', 'ok\n');
        return;
      default:
        reply(res, 404, 'text/plain; charset=utf-8', 'not found: try /metrics or /stats?service=namespace/name\n');
    }
  }
}

function reply(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

// GET /stats/usage on the agent's server (logs/log-server.ts runs the bearer-token check first):
// the sampler's report as JSON (usage-report.ts), what the API server's Metrics API asks every
// node for.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AgentRoute } from '../logs/log-server.js';
import type { UsageReport } from './usage-report.js';

export const USAGE_PATH = '/stats/usage';

export function usageRoute(source: { report(): Promise<UsageReport> }): AgentRoute {
  return {
    request: async (req: IncomingMessage, res: ServerResponse, url: URL) => {
      if (url.pathname !== USAGE_PATH) return false;
      if (req.method !== 'GET') {
        send(res, 405, 'text/plain; charset=utf-8', 'method not allowed');
        return true;
      }
      send(res, 200, 'application/json', JSON.stringify(await source.report()));
      return true;
    },
  };
}

function send(res: ServerResponse, code: number, contentType: string, body: string): void {
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

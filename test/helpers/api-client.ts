// A minimal HTTPS client for e2e tests that need raw requests (status codes, headers, bodies the
// real clients never send). Trusts the server's CA and sends its admin token, from the kubeconfig.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { parse } from 'yaml';

export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  json<T = any>(): T;
}

export interface ApiClient {
  request(method: string, path: string, options?: { body?: unknown; contentType?: string; headers?: Record<string, string> }): Promise<ApiResponse>;
  close(): void;
}

export function apiClientFor(kubeconfigPath: string): ApiClient {
  const config = parse(readFileSync(kubeconfigPath, 'utf8'));
  const cluster = config.clusters[0].cluster;
  const token: string = config.users[0].user.token;
  const server = new URL(cluster.server);
  const agent = new Agent({ keepAlive: true, maxSockets: 64, ca: Buffer.from(cluster['certificate-authority-data'], 'base64') });
  return {
    request(method, path, options = {}) {
      const body =
        options.body === undefined ? undefined : typeof options.body === 'string' || Buffer.isBuffer(options.body) ? options.body : JSON.stringify(options.body);
      return new Promise((resolve, reject) => {
        const req = request(
          {
            agent,
            host: server.hostname,
            port: server.port,
            method,
            path,
            headers: {
              authorization: `Bearer ${token}`,
              accept: 'application/json',
              ...(body === undefined ? {} : { 'content-type': options.contentType ?? 'application/json' }),
              ...options.headers,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString();
              resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}

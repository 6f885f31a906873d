// HTTP client side of the gateway e2e test: keep-alive requests to the gateway's listener on
// loopback, tallies of who answered, and a steady background loop for rolling-update checks.
import http from 'node:http';

export interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** What the test pods answer: `<version> <pod name>` (see gateway.test.ts). */
export function who(body: string): { version: string; pod: string } {
  const [version = '', pod = ''] = body.split(' ');
  return { version, pod };
}

export class GatewayClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly port: number;

  constructor(port: number) {
    this.port = port;
  }

  request(path: string, options: { host?: string; headers?: Record<string, string>; method?: string } = {}): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          path,
          method: options.method ?? 'GET',
          agent: this.agent,
          headers: { host: options.host ?? 'app.test', ...options.headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  /** `total` requests, `concurrency` at a time; counts of `key(reply)`. */
  async tally(total: number, concurrency: number, make: (i: number) => Promise<Reply>, key: (r: Reply) => string): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < total) {
        const i = next++;
        const k = key(await make(i));
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    return counts;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Requests in a loop until stopped; counts statuses and versions, keeps the first failures. */
export class SteadyLoad {
  readonly statuses = new Map<number, number>();
  readonly versions = new Map<string, number>();
  readonly failures: string[] = [];
  private running = true;
  private readonly lanes: Promise<void>[];

  constructor(client: GatewayClient, path: string, options: { host?: string; concurrency?: number } = {}) {
    this.lanes = Array.from({ length: options.concurrency ?? 4 }, async () => {
      while (this.running) {
        try {
          const r = await client.request(path, options.host !== undefined ? { host: options.host } : {});
          this.statuses.set(r.status, (this.statuses.get(r.status) ?? 0) + 1);
          const v = who(r.body).version;
          this.versions.set(v, (this.versions.get(v) ?? 0) + 1);
          if (r.status >= 500 && this.failures.length < 20) this.failures.push(`${r.status} ${r.body.slice(0, 200)}`);
        } catch (err) {
          this.statuses.set(0, (this.statuses.get(0) ?? 0) + 1);
          if (this.failures.length < 20) this.failures.push(String(err));
        }
      }
    });
  }

  get total(): number {
    let n = 0;
    for (const c of this.statuses.values()) n += c;
    return n;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.lanes);
  }
}

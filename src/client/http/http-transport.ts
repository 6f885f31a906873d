// HTTP(S) requests to the API server: one keep-alive agent, bearer token, JSON in and out, an
// optional client-side rate limit, and every failure turned into the typed errors of
// api-status-error.ts (connection failures become UnavailableError so callers may retry).
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { UnavailableError } from '../../lib/errors.js';
import { ApiStatusError, errorFromStatus, type StatusObject } from '../api-status-error.js';
import { TokenBucket } from '../token-bucket.js';

export interface HttpClientSetOptions {
  /** `https://127.0.0.1:6443` */
  readonly server: string;
  readonly token?: string;
  /** PEM of the CA that signed the server's certificate. */
  readonly ca?: string | Buffer;
  /** PEM client certificate and key, for certificate authentication. */
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  readonly insecureSkipTlsVerify?: boolean;
  readonly userAgent?: string;
  /**
   * Who the writes of this client set are recorded as in managedFields when a call names no
   * fieldManager (default `k8ts`); upstream components are `kubelet`, `kube-controller-manager`...
   */
  readonly fieldManager?: string;
  /** Client-side limit on requests per second (absent: unlimited); watches count once. */
  readonly qps?: number;
  /** Requests allowed at once above qps (default: 2 x qps). */
  readonly burst?: number;
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
  /** For CompactedError texts: the resourceVersion the request asked for. */
  readonly resourceVersion?: string;
}

function isStatus(value: unknown): value is StatusObject {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Status';
}

export class HttpTransport {
  private readonly base: URL;
  private readonly agent: HttpAgent;
  private readonly headers: Record<string, string>;
  private readonly bucket: TokenBucket | undefined;
  private readonly secure: boolean;

  constructor(options: HttpClientSetOptions) {
    this.base = new URL(options.server);
    this.secure = this.base.protocol === 'https:';
    this.agent = this.secure
      ? new HttpsAgent({
          keepAlive: true,
          ...(options.ca !== undefined ? { ca: options.ca } : {}),
          ...(options.cert !== undefined ? { cert: options.cert } : {}),
          ...(options.key !== undefined ? { key: options.key } : {}),
          rejectUnauthorized: options.insecureSkipTlsVerify !== true,
        })
      : new HttpAgent({ keepAlive: true });
    this.headers = { Accept: 'application/json', 'User-Agent': options.userAgent ?? 'k8ts' };
    if (options.token) this.headers['Authorization'] = `Bearer ${options.token}`;
    this.bucket = options.qps ? new TokenBucket({ qps: options.qps, burst: options.burst ?? Math.max(1, options.qps * 2) }) : undefined;
  }

  /** A JSON request; resolves to the parsed body of a 2xx answer. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<unknown> {
    const response = await this.open(method, path, options);
    const text = await readText(response);
    const parsed = text === '' ? undefined : parseJson(text);
    if ((response.statusCode ?? 0) >= 400) throw this.failure(response, parsed, text, options.resourceVersion);
    return parsed;
  }

  /** A streaming request (watch): resolves to the open 2xx response, throws for an error answer. */
  async stream(path: string, options: RequestOptions = {}): Promise<IncomingMessage> {
    const response = await this.open('GET', path, options);
    if ((response.statusCode ?? 0) >= 400) {
      const text = await readText(response);
      throw this.failure(response, text === '' ? undefined : parseJson(text), text, options.resourceVersion);
    }
    return response;
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.agent.destroy();
  }

  private failure(response: IncomingMessage, parsed: unknown, text: string, resourceVersion: string | undefined): Error {
    const code = response.statusCode ?? 0;
    if (isStatus(parsed)) return errorFromStatus(parsed, code, resourceVersion);
    if (code === 503) return new UnavailableError(text || 'service unavailable');
    return new ApiStatusError({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason: '', message: text || `HTTP ${code}` });
  }

  private async open(method: string, path: string, options: RequestOptions): Promise<IncomingMessage> {
    const wait = this.bucket?.reserve() ?? 0;
    if (wait > 0) await sleep(wait, undefined, options.signal ? { signal: options.signal } : {});
    options.signal?.throwIfAborted();
    const url = new URL(path, this.base);
    const headers: Record<string, string> = { ...this.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const send = this.secure ? httpsRequest : httpRequest;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = send(url, { method, headers, agent: this.agent, ...(options.signal ? { signal: options.signal } : {}) }, resolve);
      req.on('error', (error: Error) => {
        if (options.signal?.aborted) reject(options.signal.reason as Error);
        else reject(new UnavailableError(`${method} ${url.pathname}: ${error.message}`, { cause: error }));
      });
      req.end(body);
    });
  }
}

async function readText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

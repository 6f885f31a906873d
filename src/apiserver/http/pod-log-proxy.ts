// GET /api/v1/namespaces/<ns>/pods/<name>/log (kubectl-wire §3.14): the API server finds the pod,
// picks its container, finds the node's agent (status.addresses + daemonEndpoints), and streams the
// agent's /containerLogs answer back, headers flushed at once so `kubectl logs -f` starts printing.
// Error texts are upstream's (pkg/registry/core/pod/strategy.go LogLocation and the generic
// response checker of the location streamer).
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { BadRequestError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { sendJson } from './respond.js';

/** Query parameters passed through to the agent (the rest are the API server's business). */
const FORWARDED = ['follow', 'previous', 'timestamps', 'tailLines', 'sinceSeconds', 'sinceTime', 'limitBytes'] as const;
/** kubelet's port when a node does not say (upstream's default --kubelet-port). */
const DEFAULT_AGENT_PORT = 10250;
/** Longest error body read from the agent (upstream reads at most this much too). */
const MAX_ERROR_BODY = 4096;

export interface PodLogProxyOptions {
  readonly getPod: (namespace: string, name: string) => Promise<Pod>;
  readonly getNode: (name: string) => Promise<Node>;
  /** The token sent to agents; absent: the caller's own bearer token is passed on. */
  readonly agentToken?: string;
  /** Default https (agents' certificates are not verified, like upstream without a kubelet CA). */
  readonly agentScheme?: 'http' | 'https';
  readonly logger?: Logger;
}

const REASONS: Partial<Record<number, string>> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 503: 'ServiceUnavailable' };

/** An error the agent answered with, turned into the Status upstream's checker builds. */
export class AgentResponseError extends Error {
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super(message);
    this.name = 'AgentResponseError';
    this.statusCode = statusCode;
  }
}

/** Which container's log: the query's, the default-container annotation's, or the only one. */
export function chooseContainer(pod: Pod, requested: string | null): string {
  const name = pod.metadata?.name ?? '';
  const containers = (pod.spec?.containers ?? []).map((c) => c.name);
  const init = (pod.spec?.initContainers ?? []).map((c) => c.name);
  const ephemeral = (pod.spec?.ephemeralContainers ?? []).map((c) => c.name);
  if (requested !== null && requested !== '') {
    if (![...containers, ...init, ...ephemeral].includes(requested)) {
      throw new BadRequestError(`container ${requested} is not valid for pod ${name}`);
    }
    return requested;
  }
  const annotated = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated !== undefined && containers.includes(annotated)) return annotated;
  if (containers.length === 1 && containers[0] !== undefined) return containers[0];
  let message = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
  if (init.length > 0) message += ` or one of the init containers: [${init.join(' ')}]`;
  if (ephemeral.length > 0) message += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`;
  throw new BadRequestError(message);
}

/** The node's address for its agent: InternalIP, else ExternalIP, else Hostname. */
export function nodeAgentAddress(node: Node): { host: string; port: number } {
  const addresses = node.status?.addresses ?? [];
  const pick = ['InternalIP', 'ExternalIP', 'Hostname'].map((type) => addresses.find((a) => a.type === type)).find((a) => a !== undefined);
  if (!pick) throw new Error(`no preferred addresses found; known addresses: []`);
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  return { host: pick.address, port: port !== undefined && port > 0 ? port : DEFAULT_AGENT_PORT };
}

function agentError(statusCode: number, body: string): Error {
  if (statusCode === 400) return new BadRequestError(body);
  if (statusCode === 500) return new Error(body);
  return new AgentResponseError(statusCode, body === '' ? `the server responded with the status code ${statusCode} but did not return more information` : body);
}

export class PodLogProxy {
  readonly #options: PodLogProxyOptions;

  constructor(options: PodLogProxyOptions) {
    this.#options = options;
  }

  /**
   * Serves the request; resolves with the HTTP status sent. An agent's error answer is relayed as a
   * Status here; every other error is thrown for the caller's Status.
   */
  async handle(req: IncomingMessage, res: ServerResponse, namespace: string, name: string, params: URLSearchParams): Promise<number> {
    try {
      return await this.#serve(req, res, namespace, name, params);
    } catch (error) {
      if (!(error instanceof AgentResponseError) || res.headersSent) throw error;
      const reason = REASONS[error.statusCode] ?? 'Unknown';
      sendJson(res, error.statusCode, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: error.message, reason, code: error.statusCode });
      return error.statusCode;
    }
  }

  async #serve(req: IncomingMessage, res: ServerResponse, namespace: string, name: string, params: URLSearchParams): Promise<number> {
    const pod = await this.#options.getPod(namespace, name);
    const container = chooseContainer(pod, params.get('container'));
    const nodeName = pod.spec?.nodeName;
    if (nodeName === undefined || nodeName === '') throw new BadRequestError(`pod ${name} does not have a host assigned`);
    const { host, port } = nodeAgentAddress(await this.#options.getNode(nodeName));
    const query = new URLSearchParams();
    for (const key of FORWARDED) {
      const value = params.get(key);
      if (value !== null) query.set(key, value);
    }
    const path = `/containerLogs/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/${encodeURIComponent(container)}?${query.toString()}`;
    const token = this.#options.agentToken ?? bearerToken(req.headers.authorization);
    const upstream = await this.#connect(this.#options.agentScheme ?? 'https', host, port, path, token, req);
    if (upstream.statusCode !== 200) {
      const body = await readLimited(upstream, MAX_ERROR_BODY);
      throw agentError(upstream.statusCode ?? 500, body.trim());
    }
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    await new Promise<void>((resolve) => {
      upstream.on('data', (chunk: Buffer) => {
        if (!res.write(chunk)) {
          upstream.pause();
          res.once('drain', () => upstream.resume());
        }
      });
      upstream.on('end', () => resolve());
      upstream.on('error', () => resolve());
      res.on('close', () => {
        upstream.destroy();
        resolve();
      });
    });
    res.end();
    return 200;
  }

  /** One GET to the agent; an https attempt at a plain-HTTP agent is retried over http. */
  async #connect(scheme: 'http' | 'https', host: string, port: number, path: string, token: string | undefined, req: IncomingMessage): Promise<IncomingMessage> {
    try {
      return await get(scheme, host, port, path, token, req);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (scheme === 'https' && (code === 'EPROTO' || code.startsWith('ERR_SSL'))) return get('http', host, port, path, token, req);
      this.#options.logger?.warn({ err: error, host, port }, 'agent log request failed');
      throw new Error(`Get "${scheme}://${host}:${port}${path}": ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}

function bearerToken(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') === true ? header.slice('Bearer '.length).trim() : undefined;
}

function get(scheme: 'http' | 'https', host: string, port: number, path: string, token: string | undefined, req: IncomingMessage): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const options = {
      host,
      port,
      path,
      method: 'GET',
      headers: token !== undefined ? { Authorization: `Bearer ${token}` } : {},
      ...(scheme === 'https' ? { rejectUnauthorized: false } : {}),
    };
    const outgoing = (scheme === 'https' ? httpsRequest : httpRequest)(options, resolve);
    outgoing.on('error', reject);
    // The client went away before the agent answered: stop asking.
    req.on('close', () => outgoing.destroy());
    outgoing.end();
  });
}

async function readLimited(stream: IncomingMessage, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    if (size < max) chunks.push(buffer.subarray(0, max - size));
    size += buffer.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}

// Asks one node's agent for its usage report: GET /stats/usage on the agent's server (the agent
// side is agent/stats/usage-route.ts), found and authenticated the way pod-log-proxy.ts reaches it
// (node address + daemonEndpoints port, bearer token). The answer crosses the network, so it is
// checked field by field rather than trusted.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Node } from 'kubernetes-types/core/v1.js';
import { nodeAgentAddress } from '../http/pod-log-proxy.js';

export interface AgentWindowedUsage {
  readonly cpuNanoCores: number;
  readonly memoryWorkingSetBytes: number;
  readonly timestamp: string;
  readonly windowSeconds: number;
}

export interface AgentContainerUsage {
  readonly name: string;
  readonly cpuNanoCores: number;
  readonly memoryWorkingSetBytes: number;
}

export interface AgentPodUsage {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly timestamp: string;
  readonly windowSeconds: number;
  readonly containers: readonly AgentContainerUsage[];
}

export interface AgentUsageReport {
  readonly node?: AgentWindowedUsage;
  readonly pods: readonly AgentPodUsage[];
}

/** Fetches one node's report; rejects on any failure (the caller skips that node). */
export type FetchNodeUsage = (node: Node, token: string | undefined, signal: AbortSignal) => Promise<AgentUsageReport>;

const USAGE_PATH = '/stats/usage';
/** A report of thousands of pods is well under this; anything larger is not an agent talking. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function windowed(value: unknown): AgentWindowedUsage | undefined {
  if (!isObject(value)) return undefined;
  const cpu = num(value['cpuNanoCores']);
  const memory = num(value['memoryWorkingSetBytes']);
  const window = num(value['windowSeconds']);
  const timestamp = value['timestamp'];
  if (cpu === undefined || memory === undefined || window === undefined || typeof timestamp !== 'string') return undefined;
  return { cpuNanoCores: cpu, memoryWorkingSetBytes: memory, timestamp, windowSeconds: window };
}

function container(value: unknown): AgentContainerUsage | undefined {
  if (!isObject(value) || typeof value['name'] !== 'string') return undefined;
  const cpu = num(value['cpuNanoCores']);
  const memory = num(value['memoryWorkingSetBytes']);
  return cpu === undefined || memory === undefined ? undefined : { name: value['name'], cpuNanoCores: cpu, memoryWorkingSetBytes: memory };
}

function pod(value: unknown): AgentPodUsage | undefined {
  if (!isObject(value)) return undefined;
  const { namespace, name, uid, timestamp } = value;
  const window = num(value['windowSeconds']);
  const containers = Array.isArray(value['containers']) ? value['containers'].map(container) : undefined;
  if (typeof namespace !== 'string' || typeof name !== 'string' || typeof uid !== 'string' || typeof timestamp !== 'string') return undefined;
  if (window === undefined || !containers || containers.some((c) => c === undefined)) return undefined;
  return { namespace, name, uid, timestamp, windowSeconds: window, containers: containers.filter((c) => c !== undefined) };
}

/** The agent's JSON, malformed parts dropped; throws when it is not a report at all. */
export function parseUsageReport(body: unknown): AgentUsageReport {
  if (!isObject(body) || !Array.isArray(body['pods'])) throw new Error('agent usage report has no pods list');
  const node = windowed(body['node']);
  const pods = body['pods'].map(pod).filter((p) => p !== undefined);
  return { ...(node ? { node } : {}), pods };
}

/** The real fetcher: HTTPS first (agents' certificates are not verified, like pod logs), else HTTP. */
export function agentUsageFetcher(options: { readonly scheme?: 'http' | 'https' } = {}): FetchNodeUsage {
  return async (node, token, signal) => {
    const { host, port } = nodeAgentAddress(node);
    const scheme = options.scheme ?? 'https';
    let response: IncomingMessage;
    try {
      response = await get(scheme, host, port, token, signal);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (scheme !== 'https' || !(code === 'EPROTO' || code.startsWith('ERR_SSL'))) throw error;
      response = await get('http', host, port, token, signal);
    }
    const text = await readBody(response);
    if (response.statusCode !== 200) throw new Error(`agent ${host}:${port} answered ${response.statusCode ?? 0}: ${text.slice(0, 200)}`);
    return parseUsageReport(JSON.parse(text));
  };
}

function get(scheme: 'http' | 'https', host: string, port: number, token: string | undefined, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const outgoing = (scheme === 'https' ? httpsRequest : httpRequest)(
      {
        host,
        port,
        path: USAGE_PATH,
        method: 'GET',
        signal,
        headers: { Accept: 'application/json', ...(token !== undefined ? { Authorization: `Bearer ${token}` } : {}) },
        ...(scheme === 'https' ? { rejectUnauthorized: false } : {}),
      },
      resolve,
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

async function readBody(stream: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      stream.destroy();
      throw new Error(`agent usage report larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

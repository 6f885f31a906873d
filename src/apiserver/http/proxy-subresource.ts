// pods/proxy and services/proxy: the API server forwards an HTTP request to a pod, or to one ready
// endpoint of a service, as upstream does (`kubectl proxy`, then
// /api/v1/namespaces/<ns>/services/<svc>:<port>/proxy/<path>). Following upstream's
// pkg/registry/core/{pod,service} ResourceLocation:
// - the name segment is `name`, `name:port` or `scheme:name:port` (scheme http or https);
// - a pod without a port goes to its first declared container port, else to the scheme's port;
// - a service port is a port name or a port number of the Service, and the request goes to a
//   random ready address of its Endpoints that serves that port; none -> 503
//   `no endpoints available for service "<name>"`;
// - the caller's credentials are not passed on (upstream's authentication filter removes the
//   Authorization header), nor hop-by-hop headers; the answer streams back with its status.
// Not done (README): HTTP upgrades (WebSockets) through the proxy, and the rewriting of links in
// HTML answers that upstream's service proxy does.
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1.js';
import { BadRequestError, UnavailableError } from '../../lib/errors.js';

export interface ProxyTarget {
  readonly resource: 'pods' | 'services';
  readonly namespace: string;
  readonly scheme: 'http' | 'https';
  readonly name: string;
  /** As given: a number, a port name, or '' when absent. */
  readonly port: string;
  /** The path after `/proxy`, still percent-encoded as the client sent it ('' when none). */
  readonly path: string;
}

export interface ProxyLookups {
  getPod(namespace: string, name: string): Promise<Pod>;
  getService(namespace: string, name: string): Promise<Service>;
  getEndpoints(namespace: string, name: string): Promise<Endpoints>;
}

const PROXY_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/(pods|services)\/([^/]+)\/proxy(\/.*)?$/;
/** RFC 9110 hop-by-hop headers, and the caller's credentials (meant for us, not the pod). */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'authorization']);

/** The proxy request `pathname` addresses, or undefined when it is not a pods/services proxy path. */
export function proxyTarget(pathname: string): ProxyTarget | undefined {
  const match = PROXY_PATH.exec(pathname);
  if (!match) return undefined;
  let namespace: string;
  let id: string;
  try {
    namespace = decodeURIComponent(match[1] ?? '');
    id = decodeURIComponent(match[3] ?? '');
  } catch {
    return undefined;
  }
  const parts = id.split(':');
  let scheme = 'http';
  let name: string;
  let port = '';
  if (parts.length === 1) name = parts[0] ?? '';
  else if (parts.length === 2) [name = '', port = ''] = parts;
  else if (parts.length === 3) [scheme = '', name = '', port = ''] = parts;
  else throw new BadRequestError(`invalid request "${id}"`);
  if (scheme !== 'http' && scheme !== 'https') throw new BadRequestError(`invalid scheme "${scheme}" in "${id}": use http or https`);
  if (name === '') throw new BadRequestError(`invalid request "${id}"`);
  return { resource: match[2] === 'pods' ? 'pods' : 'services', namespace, scheme, name, port, path: match[4] ?? '' };
}

/** host:port to send the request to, after upstream's resolution rules. */
export async function proxyDestination(target: ProxyTarget, lookups: ProxyLookups, random: () => number = Math.random): Promise<{ host: string; port: number }> {
  const defaultPort = target.scheme === 'https' ? 443 : 80;
  if (target.resource === 'pods') {
    const pod = await lookups.getPod(target.namespace, target.name);
    const ip = pod.status?.podIP;
    if (ip === undefined || ip === '') throw new UnavailableError(`pod "${target.name}" has no IP address yet`);
    let port = target.port;
    if (port === '') port = String((pod.spec?.containers ?? []).find((c) => (c.ports ?? []).length > 0)?.ports?.[0]?.containerPort ?? defaultPort);
    const number = Number(port);
    if (!/^\d+$/.test(port) || number < 1 || number > 65535) throw new BadRequestError(`invalid port "${port}" for pod "${target.name}": give a port number`);
    return { host: ip, port: number };
  }
  const service = await lookups.getService(target.namespace, target.name);
  let portName = target.port;
  if (/^\d+$/.test(portName)) {
    const declared = (service.spec?.ports ?? []).find((p) => p.port === Number(portName));
    if (declared === undefined) throw new UnavailableError(`no service port ${portName} found for service "${target.name}"`);
    portName = declared.name ?? '';
  }
  const endpoints = await lookups.getEndpoints(target.namespace, target.name).catch(() => ({ subsets: [] }));
  const candidates: { host: string; port: number }[] = [];
  for (const subset of endpoints.subsets ?? []) {
    const port = (subset.ports ?? []).find((p) => (p.name ?? '') === portName);
    if (port === undefined) continue;
    for (const address of subset.addresses ?? []) candidates.push({ host: address.ip, port: port.port });
  }
  const chosen = candidates[Math.floor(random() * candidates.length)];
  if (chosen === undefined) throw new UnavailableError(`no endpoints available for service "${target.name}"`);
  return chosen;
}

/** Forwards `req` to the target and streams the answer back; resolves with the status sent. */
export async function forwardProxyRequest(req: IncomingMessage, res: ServerResponse, url: URL, target: ProxyTarget, lookups: ProxyLookups): Promise<number> {
  const destination = await proxyDestination(target, lookups);
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !NOT_FORWARDED.has(name)) headers[name] = value;
  const forwardedFor = req.socket.remoteAddress;
  if (forwardedFor !== undefined) headers['x-forwarded-for'] = typeof headers['x-forwarded-for'] === 'string' ? `${headers['x-forwarded-for']}, ${forwardedFor}` : forwardedFor;
  const send = target.scheme === 'https' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const upstream = send({
      host: destination.host,
      port: destination.port,
      method: req.method,
      path: `${target.path === '' ? '/' : target.path}${url.search}`,
      headers,
      // A pod's certificate is not ours to verify (upstream's proxy transport does not either).
      ...(target.scheme === 'https' ? { rejectUnauthorized: false } : {}),
    });
    upstream.on('response', (answer) => {
      const code = answer.statusCode ?? 502;
      const out: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !NOT_FORWARDED.has(name)) out[name] = value;
      res.writeHead(code, answer.statusMessage, out);
      answer.pipe(res);
      answer.on('error', () => res.destroy());
      res.on('close', () => answer.destroy());
      resolve(code);
    });
    upstream.on('error', (error: Error) => {
      // After the answer started, the only honest signal left is to cut the connection.
      if (res.headersSent) res.destroy();
      else reject(new UnavailableError(`error trying to reach ${target.resource === 'pods' ? 'pod' : 'service'}: ${error.message}`));
    });
    // A client that goes away cancels the forwarded request.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
}

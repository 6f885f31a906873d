// httpGet probes (and preStop/postStart httpGet handlers): GET with a timeout; 200-399 succeeds.
// Failures are worded as upstream's prober words them, because `kubectl describe` shows them.
import http from 'node:http';
import https from 'node:https';
import type { HTTPGetAction } from 'kubernetes-types/core/v1.js';
import { joinHostPort, probeHost, resolvePort, type ProbeRun, type ProbeTarget } from './probe-target.js';

/** What upstream's prober sends (lifecycle hooks send `kube-lifecycle/<version>` instead). */
export const PROBE_USER_AGENT = 'kube-probe/1.32';

export function httpGetUrl(action: HTTPGetAction, target: ProbeTarget): string | undefined {
  const port = resolvePort(action.port, target.container);
  if (port === undefined) return undefined;
  const scheme = (action.scheme ?? 'HTTP').toLowerCase();
  let pathPart = action.path ?? '/';
  if (!pathPart.startsWith('/')) pathPart = `/${pathPart}`;
  return `${scheme}://${joinHostPort(probeHost(action.host, target), port)}${pathPart}`;
}

function errorText(url: string, host: string, error: unknown, timedOut: boolean): string {
  if (timedOut) return `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const dial = `dial tcp ${host}`;
  if (code === 'ECONNREFUSED') return `Get "${url}": ${dial}: connect: connection refused`;
  if (code === 'ECONNRESET') return `Get "${url}": read: connection reset by peer`;
  return `Get "${url}": ${error instanceof Error ? error.message : String(error)}`;
}

export async function runHttpProbe(action: HTTPGetAction, target: ProbeTarget, timeoutSeconds: number, userAgent = PROBE_USER_AGENT): Promise<ProbeRun> {
  const url = httpGetUrl(action, target);
  if (!url) return { result: 'failure', output: `unknown port ${String(action.port)} in container ${target.container.name}` };
  const parsed = new URL(url);
  const headers: Record<string, string> = { 'User-Agent': userAgent, Accept: '*/*' };
  for (const h of action.httpHeaders ?? []) headers[h.name] = h.value;
  const client = parsed.protocol === 'https:' ? https : http;
  return new Promise<ProbeRun>((resolve) => {
    let timedOut = false;
    const request = client.request(url, {
      method: 'GET',
      headers,
      // Upstream skips certificate verification for HTTPS probes.
      ...(parsed.protocol === 'https:' ? { rejectUnauthorized: false } : {}),
    }, (response) => {
      const status = response.statusCode ?? 0;
      // Drain (bounded) so the socket is released.
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > 10_240) response.destroy();
      });
      response.on('close', () => {
        clearTimeout(timer);
        if (status >= 200 && status < 400) resolve({ result: 'success', output: '', statusCode: status });
        else resolve({ result: 'failure', output: `HTTP probe failed with statuscode: ${status}`, statusCode: status });
      });
      response.on('error', () => undefined);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      request.destroy(new Error('timeout'));
    }, Math.max(timeoutSeconds, 1) * 1000);
    request.on('error', (error) => {
      clearTimeout(timer);
      resolve({ result: 'failure', output: errorText(url, parsed.host, error, timedOut) });
    });
    request.end();
  });
}

// Where a probe or lifecycle handler connects: the pod IP (or an explicit host) and a port given
// as a number or as the name of one of the container's ports.
import type { Container } from 'kubernetes-types/core/v1.js';

export interface ProbeTarget {
  readonly container: Container;
  readonly containerId: string;
  /** The pod's IP; the host's for host-network pods. */
  readonly podIP?: string;
  readonly hostIP: string;
}

export type ProbeOutcome = 'success' | 'failure';

export interface ProbeRun {
  readonly result: ProbeOutcome;
  /** What failed, in upstream's words (`HTTP probe failed with statuscode: 500`). */
  readonly output: string;
  /** httpGet: the response's status code, when a response came (lifecycle hooks ignore it). */
  readonly statusCode?: number;
}

/** Upstream: a number, a numeric string, or the name of a container port. */
export function resolvePort(port: number | string, container: Container): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

export function probeHost(host: string | undefined, target: ProbeTarget): string {
  if (host) return host;
  return target.podIP ?? target.hostIP;
}

/** `10.0.0.1:80`, `[fd00::1]:80`. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

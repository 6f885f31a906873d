// PLACEHOLDER (being written by the streaming helper): a TCP connection to a port of a pod.
import type { Duplex } from 'node:stream';

export interface SandboxConnectOptions {
  /** The pod's IP (the host's for host-network pods). */
  readonly ip: string;
  readonly port: number;
  readonly hostNetwork: boolean;
  /** A process inside the pod's network namespace (root only), to reach listeners on its loopback. */
  readonly pid?: number;
}

export function connectInSandbox(_options: SandboxConnectOptions): Promise<Duplex> {
  return Promise.reject(new Error('port-forward is not implemented yet for the process runtime'));
}

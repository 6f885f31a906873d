// tcpSocket probes: success when a TCP connection opens within the timeout.
import net from 'node:net';
import type { TCPSocketAction } from 'kubernetes-types/core/v1.js';
import { joinHostPort, probeHost, resolvePort, type ProbeRun, type ProbeTarget } from './probe-target.js';

export async function runTcpProbe(action: TCPSocketAction, target: ProbeTarget, timeoutSeconds: number): Promise<ProbeRun> {
  const port = resolvePort(action.port, target.container);
  if (port === undefined) return { result: 'failure', output: `unknown port ${String(action.port)} in container ${target.container.name}` };
  const host = probeHost(action.host, target);
  const address = joinHostPort(host, port);
  return new Promise<ProbeRun>((resolve) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ result: 'failure', output: `dial tcp ${address}: i/o timeout` });
    }, Math.max(timeoutSeconds, 1) * 1000);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ result: 'success', output: '' });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const reason = error.code === 'ECONNREFUSED' ? 'connect: connection refused' : error.message;
      resolve({ result: 'failure', output: `dial tcp ${address}: ${reason}` });
    });
  });
}

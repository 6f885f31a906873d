// PLACEHOLDER (being written by the streaming helpers): exec and port-forward sessions against
// containerd's streaming server, from the URL that CRI Exec / PortForward return.
import type { Duplex } from 'node:stream';
import type { ExecRequest, ExecSession } from '../runtime.js';

export function openCriExec(_url: string, _request: ExecRequest): Promise<ExecSession> {
  return Promise.reject(new Error('exec through containerd is not implemented yet'));
}

export function openCriPortForward(_url: string, _port: number): Promise<Duplex> {
  return Promise.reject(new Error('port-forward through containerd is not implemented yet'));
}

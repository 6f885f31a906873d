// The agent's exec endpoint, what kubelet's /exec is for the API server (kubectl exec, cp):
//   GET /exec/<namespace>/<pod>/<container>?command=..&command=..&stdin=&stdout=&stderr=&tty=
//       Upgrade: websocket, Sec-WebSocket-Protocol: v5.channel.k8s.io (or v4.channel.k8s.io)
// (kubelet's /exec/<namespace>/<pod>/<uid>/<container> form is accepted too; the uid is unused).
// Requests that can never work (no command, no streams, not a WebSocket we speak) are refused
// before the upgrade with kubelet's texts; anything that goes wrong after it (no such container,
// command not found) ends the exec with a Failure Status on the error channel, which kubectl
// prints as `error: <message>`.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { NotFoundError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { AgentRoute } from '../logs/log-server.js';
import type { ContainerRuntime } from '../runtime/runtime.js';
import type { PodLocator } from './pod-locator.js';
import { execErrorStatus, exitStatus, notFoundStatus } from './exec-status.js';
import { bridgeExec, EarlyMessages, finishWithStatus, type ChannelProtocol, type ExecStreams } from './exec-websocket.js';

/** Subprotocols in our order of preference (kubectl 1.32 offers only v5). */
const PROTOCOLS: readonly ChannelProtocol[] = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

export interface ExecRouteOptions {
  readonly runtime: ContainerRuntime;
  readonly locator: PodLocator;
  readonly logger: Logger;
}

export interface ExecTarget {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly command: readonly string[];
  readonly streams: ExecStreams;
  readonly tty: boolean;
}

/** What an /exec URL asks for; a string is the reason it cannot be served (400). */
export function parseExecUrl(url: URL): ExecTarget | string | undefined {
  const parts = url.pathname.split('/');
  if (parts[1] !== 'exec' || (parts.length !== 5 && parts.length !== 6)) return undefined;
  const [namespace, pod, container] = [parts[2], parts[3], parts[parts.length - 1]].map((p) => decodeURIComponent(p ?? ''));
  if (!namespace || !pod || !container) return undefined;
  const flag = (name: string): boolean => ['true', '1'].includes(url.searchParams.get(name) ?? '');
  const command = url.searchParams.getAll('command');
  if (command.length === 0) return 'you must specify at least one command for the container';
  const tty = flag('tty');
  // With a TTY stderr is merged into stdout; kubectl does not even ask for it.
  const streams: ExecStreams = { stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr') && !tty };
  if (!streams.stdin && !streams.stdout && !flag('stderr')) return 'you must specify at least 1 of stdin, stdout, stderr';
  return { namespace, pod, container, command, streams, tty };
}

function offeredProtocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
}

function refuse(socket: Duplex, code: number, reason: string, text: string): void {
  socket.end(`HTTP/1.1 ${code} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}

/** The route, and close(): ends every open exec (the agent is stopping). */
export interface ExecRoute extends AgentRoute {
  close(): void;
}

export function createExecRoute(options: ExecRouteOptions): ExecRoute {
  const logger = options.logger.child({ component: 'exec' });
  const server = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered: Set<string>) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  const open = new Set<WebSocket>();
  return {
    close() {
      for (const ws of open) ws.terminate();
    },
    upgrade(req, socket, head, url) {
      const target = parseExecUrl(url);
      if (target === undefined) return false;
      if (typeof target === 'string') {
        refuse(socket, 400, 'Bad Request', target);
        return true;
      }
      const isWebSocket = (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
      const protocol = PROTOCOLS.find((p) => offeredProtocols(req).includes(p));
      if (!isWebSocket || protocol === undefined) {
        refuse(socket, 400, 'Bad Request', `exec needs a WebSocket upgrade with subprotocol ${PROTOCOLS.join(' or ')}`);
        return true;
      }
      server.handleUpgrade(req, socket, head, (ws) => {
        open.add(ws);
        ws.once('close', () => open.delete(ws));
        runExec({ ...options, logger }, ws, protocol, target).catch((error: unknown) => {
          logger.warn({ err: error }, 'exec failed');
          ws.terminate();
        });
      });
      return true;
    },
  };
}

async function runExec(options: ExecRouteOptions, ws: WebSocket, protocol: ChannelProtocol, target: ExecTarget): Promise<void> {
  const { logger } = options;
  const log = { namespace: target.namespace, pod: target.pod, container: target.container };
  // kubectl does not wait for anything before sending stdin; keep it until the command runs.
  const early = new EarlyMessages(ws);
  let containerId: string;
  try {
    containerId = (await options.locator.runningContainer(target.namespace, target.pod, target.container)).id;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    finishWithStatus(ws, notFoundStatus(error.message));
    return;
  }
  if (ws.readyState !== ws.OPEN) return;
  let session;
  try {
    session = await options.runtime.exec({
      containerId,
      command: target.command,
      stdin: target.streams.stdin,
      stdout: target.streams.stdout,
      stderr: target.streams.stderr,
      tty: target.tty,
    });
  } catch (error) {
    logger.info({ ...log, err: error }, 'exec could not start');
    finishWithStatus(ws, execErrorStatus(error instanceof Error ? error.message : String(error)));
    return;
  }
  logger.debug({ ...log, tty: target.tty }, 'exec started');
  try {
    const exitCode = await bridgeExec({ ws, protocol, session, streams: target.streams, logger, early });
    finishWithStatus(ws, exitStatus(exitCode));
  } catch (error) {
    // The command never ran (e.g. not found inside the container's namespaces).
    finishWithStatus(ws, execErrorStatus(error instanceof Error ? error.message : String(error)));
  }
}

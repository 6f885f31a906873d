// The agent's exec endpoint, what kubelet's /exec is for the API server (kubectl exec, cp):
//   GET /exec/<namespace>/<pod>/<container>?command=..&command=..&stdin=&stdout=&stderr=&tty=
//       Upgrade: websocket, Sec-WebSocket-Protocol: v5.channel.k8s.io (or v4.channel.k8s.io)
// (kubelet's /exec/<namespace>/<pod>/<uid>/<container> form is accepted too; the uid is unused).
// Requests that can never work (no command, no streams, not a WebSocket we speak) are refused
// before the upgrade with kubelet's texts; anything that goes wrong after it (no such container,
// command not found) ends the exec with a Failure Status on the error channel, which kubectl
// prints as `error: <message>`.
import type { WebSocket } from 'ws';
import { NotFoundError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { ContainerRuntime } from '../runtime/runtime.js';
import { containerPath, createChannelRoute, queryFlag, type ChannelRoute, type ContainerPath } from './channel-route.js';
import type { PodLocator } from './pod-locator.js';
import { execErrorStatus, exitStatus, notFoundStatus } from './exec-status.js';
import { bridgeExec, EarlyMessages, finishWithStatus, type ChannelProtocol, type ExecStreams } from './exec-websocket.js';

export interface ExecRouteOptions {
  readonly runtime: ContainerRuntime;
  readonly locator: PodLocator;
  readonly logger: Logger;
}

export interface ExecTarget extends ContainerPath {
  readonly command: readonly string[];
  readonly streams: ExecStreams;
  readonly tty: boolean;
}

/** What an /exec URL asks for; a string is the reason it cannot be served (400). */
export function parseExecUrl(url: URL): ExecTarget | string | undefined {
  const path = containerPath(url, 'exec');
  if (path === undefined) return undefined;
  const flag = (name: string): boolean => queryFlag(url, name);
  const command = url.searchParams.getAll('command');
  if (command.length === 0) return 'you must specify at least one command for the container';
  const tty = flag('tty');
  // With a TTY stderr is merged into stdout; kubectl does not even ask for it.
  const streams: ExecStreams = { stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr') && !tty };
  if (!streams.stdin && !streams.stdout && !flag('stderr')) return 'you must specify at least 1 of stdin, stdout, stderr';
  return { ...path, command, streams, tty };
}

/** The route, and close(): ends every open exec (the agent is stopping). */
export type ExecRoute = ChannelRoute;

export function createExecRoute(options: ExecRouteOptions): ExecRoute {
  const logger = options.logger.child({ component: 'exec' });
  return createChannelRoute({
    name: 'exec',
    parse: parseExecUrl,
    serve: (ws, protocol, target) => runExec({ ...options, logger }, ws, protocol, target),
    logger,
  });
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

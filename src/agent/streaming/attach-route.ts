// The agent's attach endpoint, what kubelet's /attach is for the API server (`kubectl attach`,
// `kubectl run -i`):
//   GET /attach/<namespace>/<pod>/<container>?stdout=&stderr=&stdin=&tty=
//       Upgrade: websocket, Sec-WebSocket-Protocol: v5.channel.k8s.io (or v4.channel.k8s.io)
// Output only: what the container writes from now on, read from its CRI log file (so the same for
// every runtime), stdout and stderr merged in order on one channel (as `kubectl logs` shows them),
// until the container exits or the client leaves; the stream then ends with a Success Status, as
// kubelet's does.
// With stdin (-i): the runtime's attach session (ContainerRuntime.attach) carries the client's stdin
// and resizes to the container's main process; its output is the runtime's live stream (containerd)
// or, when the runtime has none (process runtime), the log file followed from the attach on. The
// client's stdin EOF detaches, or closes a stdinOnce container's stdin (the runtime decides, as
// containerd does); the attach ends when the container exits. A container without `stdin: true`
// drops what is sent, as containerd does (kubectl itself warns only about a missing TTY).
import type { WebSocket } from 'ws';
import { NotFoundError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { readCriLog } from '../logs/cri-log-reader.js';
import type { LogTarget } from '../logs/log-server.js';
import type { ContainerRuntime } from '../runtime/runtime.js';
import { followLogOutput, type LogOutput } from './attach-log-output.js';
import { containerPath, createChannelRoute, queryFlag, type ChannelRoute, type ContainerPath } from './channel-route.js';
import type { PodLocator } from './pod-locator.js';
import { notFoundStatus, successStatus, type ExecStatus } from './exec-status.js';
import { bridgeExec, EarlyMessages, finishWithStatus, frame, STDERR_CHANNEL, STDOUT_CHANNEL, type ChannelProtocol } from './exec-websocket.js';

export interface AttachRouteOptions {
  readonly runtime: ContainerRuntime;
  readonly locator: PodLocator;
  /** The container's current log file and whether it still runs (the log server's resolver). */
  readonly resolveLog: (namespace: string, pod: string, container: string) => Promise<LogTarget | undefined>;
  readonly logger: Logger;
  /** How often the log file is checked for new output. */
  readonly pollMs?: number;
}

export interface AttachTarget extends ContainerPath {
  readonly stdin: boolean;
  readonly stdout: boolean;
  /** Never with a TTY (its output is one stream). */
  readonly stderr: boolean;
  readonly tty: boolean;
}

/** What an /attach URL asks for; a string is the reason it cannot be served (400). */
export function parseAttachUrl(url: URL): AttachTarget | string | undefined {
  const path = containerPath(url, 'attach');
  if (path === undefined) return undefined;
  const flag = (name: string): boolean => queryFlag(url, name);
  const stdin = flag('stdin');
  const stdout = flag('stdout');
  const tty = flag('tty');
  if (!stdin && !stdout && !flag('stderr')) return 'you must specify at least 1 of stdin, stdout, stderr';
  return { ...path, stdin, stdout, stderr: flag('stderr') && !tty, tty };
}

/** kubelet's answer when the runtime could not attach (kubectl prints `error: <message>`). */
function attachErrorStatus(runtimeMessage: string): ExecStatus {
  const message = `error attaching to container: ${runtimeMessage}`;
  return { metadata: {}, status: 'Failure', message: `Internal error occurred: ${message}`, reason: 'InternalError', details: { causes: [{ message }] }, code: 500 };
}

/** The route, and close(): ends every open attach (the agent is stopping). */
export type AttachRoute = ChannelRoute;

export function createAttachRoute(options: AttachRouteOptions): AttachRoute {
  const logger = options.logger.child({ component: 'attach' });
  return createChannelRoute({
    name: 'attach',
    parse: parseAttachUrl,
    serve: (ws, protocol, target) => (target.stdin ? attachInput({ ...options, logger }, ws, protocol, target) : streamOutput({ ...options, logger }, ws, target)),
    logger,
  });
}

async function streamOutput(options: AttachRouteOptions, ws: WebSocket, target: AttachTarget): Promise<void> {
  const { namespace, pod, container } = target;
  let log: LogTarget | undefined;
  try {
    await options.locator.runningContainer(namespace, pod, container);
    log = await options.resolveLog(namespace, pod, container);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    finishWithStatus(ws, notFoundStatus(error.message));
    return;
  }
  if (log === undefined) {
    finishWithStatus(ws, notFoundStatus(`container "${container}" in pod "${pod}" is not running`));
    return;
  }
  const stop = new AbortController();
  ws.once('close', () => stop.abort());
  // Only what is written from now on (tailLines 0), as attaching to a live process shows.
  const lines = readCriLog(log.logPath, { follow: true, tailLines: 0 }, {
    isRunning: log.isRunning ?? (() => false), signal: stop.signal, pollMs: options.pollMs ?? 100,
  });
  // The log reader joins both streams in order, as `kubectl logs` shows them: they go out on one
  // channel (stdout when asked for), like a TTY's merged output.
  const channel = target.stdout ? STDOUT_CHANNEL : STDERR_CHANNEL;
  for await (const text of lines) {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(frame(channel, Buffer.from(text)));
  }
  finishWithStatus(ws, successStatus());
}

/** kubectl attach -i: the runtime's session for stdin (and resize), its output or the log's. */
async function attachInput(options: AttachRouteOptions, ws: WebSocket, protocol: ChannelProtocol, target: AttachTarget): Promise<void> {
  const { namespace, pod, container } = target;
  // kubectl sends stdin (and, piped, its EOF) right after the upgrade: keep it for the session.
  const early = new EarlyMessages(ws);
  let containerId: string;
  let log: LogTarget | undefined;
  try {
    containerId = (await options.locator.runningContainer(namespace, pod, container)).id;
    log = await options.resolveLog(namespace, pod, container);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    finishWithStatus(ws, notFoundStatus(error.message));
    return;
  }
  const wantsOutput = target.stdout || target.stderr;
  let logOutput: LogOutput | undefined;
  if (wantsOutput && options.runtime.capabilities.attachStreamsOutput !== true) {
    if (log === undefined) {
      finishWithStatus(ws, notFoundStatus(`container "${container}" in pod "${pod}" is not running`));
      return;
    }
    // Positioned at the log's end before the session exists: output the first stdin causes comes after.
    logOutput = await followLogOutput(log, options.pollMs ?? 100);
  }
  if (ws.readyState !== ws.OPEN) {
    logOutput?.cancel();
    return;
  }
  let session;
  try {
    session = await options.runtime.attach({ containerId, stdin: true, stdout: target.stdout, stderr: target.stderr, tty: target.tty });
  } catch (error) {
    logOutput?.cancel();
    options.logger.info({ namespace, pod, container, err: error }, 'attach failed');
    finishWithStatus(ws, error instanceof NotFoundError ? notFoundStatus(error.message) : attachErrorStatus(error instanceof Error ? error.message : String(error)));
    return;
  }
  if (logOutput) session = logOutput.wrap(session, !target.stdout);
  if (ws.readyState !== ws.OPEN) {
    // The client left while the session started: no close event will come for bridgeExec.
    session.close();
    return;
  }
  const streams = { stdin: true, stdout: target.stdout, stderr: target.stderr };
  try {
    await bridgeExec({ ws, protocol, session, streams, logger: options.logger, early });
    finishWithStatus(ws, successStatus());
  } catch (error) {
    finishWithStatus(ws, attachErrorStatus(error instanceof Error ? error.message : String(error)));
  }
}

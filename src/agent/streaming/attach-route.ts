// The agent's attach endpoint, what kubelet's /attach is for the API server (`kubectl attach`):
//   GET /attach/<namespace>/<pod>/<container>?stdout=&stderr=&stdin=&tty=
//       Upgrade: websocket, Sec-WebSocket-Protocol: v5.channel.k8s.io (or v4.channel.k8s.io)
// Output only: what the container writes from now on, read from its CRI log file (so the same for
// every runtime), stdout and stderr merged in order on one channel (as `kubectl logs` shows them),
// until the container exits or the client leaves; the stream then ends with a Success Status, as kubelet's does. Attaching to stdin (`-i`,
// and so `kubectl run -it`, which then falls back to streaming logs) is refused before the upgrade
// with what to use instead: a container's stdin is not kept open by our runtimes.
import type { WebSocket } from 'ws';
import { NotFoundError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { readCriLog } from '../logs/cri-log-reader.js';
import type { LogTarget } from '../logs/log-server.js';
import { containerPath, createChannelRoute, queryFlag, type ChannelRoute, type ContainerPath } from './channel-route.js';
import type { PodLocator } from './pod-locator.js';
import { notFoundStatus, successStatus } from './exec-status.js';
import { finishWithStatus, frame, STDERR_CHANNEL, STDOUT_CHANNEL } from './exec-websocket.js';

export interface AttachRouteOptions {
  readonly locator: PodLocator;
  /** The container's current log file and whether it still runs (the log server's resolver). */
  readonly resolveLog: (namespace: string, pod: string, container: string) => Promise<LogTarget | undefined>;
  readonly logger: Logger;
  /** How often the log file is checked for new output. */
  readonly pollMs?: number;
}

export interface AttachTarget extends ContainerPath {
  readonly stdout: boolean;
  readonly stderr: boolean;
}

/** What an /attach URL asks for; a string is the reason it cannot be served (400). */
export function parseAttachUrl(url: URL): AttachTarget | string | undefined {
  const path = containerPath(url, 'attach');
  if (path === undefined) return undefined;
  const { pod } = path;
  const flag = (name: string): boolean => queryFlag(url, name);
  if (flag('stdin')) {
    return `k8ts attaches to a container's output only, not to its stdin: use "kubectl attach ${pod}" without -i/-t, or "kubectl exec -it ${pod} -- sh" for a shell`;
  }
  const stdout = flag('stdout');
  const stderr = flag('stderr');
  if (!stdout && !stderr) return 'you must specify at least 1 of stdin, stdout, stderr';
  return { ...path, stdout, stderr };
}

/** The route, and close(): ends every open attach (the agent is stopping). */
export type AttachRoute = ChannelRoute;

export function createAttachRoute(options: AttachRouteOptions): AttachRoute {
  const logger = options.logger.child({ component: 'attach' });
  return createChannelRoute({
    name: 'attach',
    parse: parseAttachUrl,
    serve: (ws, _protocol, target) => streamOutput({ ...options, logger }, ws, target),
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

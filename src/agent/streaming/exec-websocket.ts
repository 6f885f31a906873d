// Carries one exec session over a WebSocket speaking the Kubernetes channel protocol
// (v4/v5.channel.k8s.io): every binary message starts with a channel byte, 0 stdin, 1 stdout,
// 2 stderr, 3 error (the final Status, server → client), 4 resize (JSON {"Width":W,"Height":H}),
// and, in v5 only, 255 close: [255, 0] is the client's stdin EOF.
//
// Backpressure both ways: output streams pause while the socket's send buffer is above a high
// mark and resume from the send callbacks; the socket stops reading while the command's stdin is
// full and resumes on its 'drain'.
import type { Readable } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Logger } from '../../lib/logger.js';
import type { ExecSession } from '../runtime/runtime.js';
import type { ExecStatus } from './exec-status.js';

export const STDIN_CHANNEL = 0;
export const STDOUT_CHANNEL = 1;
export const STDERR_CHANNEL = 2;
export const ERROR_CHANNEL = 3;
export const RESIZE_CHANNEL = 4;
export const CLOSE_CHANNEL = 255;

/** Socket send buffer above which output is paused. */
const HIGH_WATER_BYTES = 1024 * 1024;

export type ChannelProtocol = 'v5.channel.k8s.io' | 'v4.channel.k8s.io';

export interface ExecStreams {
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
}

/** Collects a socket's messages from the upgrade on, until the exec session takes over. */
export class EarlyMessages {
  readonly #ws: WebSocket;
  readonly #messages: Buffer[] = [];
  readonly #collect = (data: Buffer, isBinary: boolean): void => {
    if (isBinary && data.length > 0) this.#messages.push(data);
  };

  constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', this.#collect);
  }

  /** Stops collecting; returns what was collected. */
  drain(): Buffer[] {
    this.#ws.off('message', this.#collect);
    return this.#messages.splice(0);
  }
}

/** Sends `status` on the error channel and closes normally (kubectl needs both to know the end). */
export function finishWithStatus(ws: WebSocket, status: ExecStatus): void {
  if (ws.readyState !== ws.OPEN) return;
  ws.send(frame(ERROR_CHANNEL, Buffer.from(JSON.stringify(status))));
  ws.close(1000);
}

export function frame(channel: number, data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(data.length + 1);
  out[0] = channel;
  data.copy(out, 1);
  return out;
}

/**
 * Pipes the session and the socket together until the command ended and its output was sent;
 * resolves with the exit code, or rejects with the session's start error. When the client goes
 * away first, the session is closed (the command is ended) and the exit is still awaited.
 */
export async function bridgeExec(options: {
  readonly ws: WebSocket;
  readonly protocol: ChannelProtocol;
  readonly session: ExecSession;
  readonly streams: ExecStreams;
  readonly logger: Logger;
  /** What the client sent before the session existed. */
  readonly early?: EarlyMessages;
}): Promise<number> {
  const { ws, session, streams } = options;
  const paused = new Set<Readable>();
  const onSent = (error?: Error): void => {
    if (error) return;
    if (ws.bufferedAmount < HIGH_WATER_BYTES) {
      for (const stream of paused) stream.resume();
      paused.clear();
    }
  };
  const pump = (stream: Readable | undefined, channel: number, wanted: boolean): Promise<void> => {
    if (!stream) return Promise.resolve();
    return new Promise<void>((resolve) => {
      stream.on('data', (chunk: Buffer) => {
        if (!wanted || ws.readyState !== ws.OPEN || chunk.length === 0) return;
        ws.send(frame(channel, chunk), onSent);
        if (ws.bufferedAmount >= HIGH_WATER_BYTES) {
          stream.pause();
          paused.add(stream);
        }
      });
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', (error) => {
        options.logger.debug({ err: error, channel }, 'exec output stream failed');
        resolve();
      });
    });
  };

  const stdin = session.stdin;
  let resizeText = '';
  const onMessage = (data: Buffer): void => {
    const channel = data[0];
    const body = data.subarray(1);
    if (channel === STDIN_CHANNEL) {
      if (!stdin || stdin.writableEnded || body.length === 0) return;
      if (!stdin.write(body)) {
        ws.pause();
        stdin.once('drain', () => ws.resume());
      }
    } else if (channel === RESIZE_CHANNEL) {
      resizeText += body.toString('utf8');
      resizeText = applyResizes(resizeText, session);
    } else if (channel === CLOSE_CHANNEL && options.protocol === 'v5.channel.k8s.io') {
      if (body[0] === STDIN_CHANNEL && stdin && !stdin.writableEnded) stdin.end();
    }
  };
  // Messages that arrived while the command was being started (kubectl sends stdin and its EOF
  // at once), then the live ones, in order: all of this runs synchronously.
  const early = options.early?.drain() ?? [];
  for (const data of early) onMessage(data);
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary && data.length > 0) onMessage(data);
  });
  const clientGone = (): void => {
    if (stdin && !stdin.writableEnded) stdin.end();
    session.close();
  };
  ws.once('close', clientGone);
  ws.on('error', (error) => {
    options.logger.debug({ err: error }, 'exec websocket failed');
    clientGone();
  });

  // kubelet announces the established connection with an empty message on the lowest writable
  // channel; clients ignore it, but some wait for it.
  if (streams.stdout) ws.send(frame(STDOUT_CHANNEL, Buffer.alloc(0)));
  else if (streams.stderr) ws.send(frame(STDERR_CHANNEL, Buffer.alloc(0)));

  const output = Promise.all([pump(session.stdout, STDOUT_CHANNEL, streams.stdout), pump(session.stderr, STDERR_CHANNEL, streams.stderr)]);
  try {
    const exitCode = await session.exit;
    await output;
    return exitCode;
  } finally {
    ws.off('close', clientGone);
    for (const stream of paused) stream.resume();
  }
}

/** Applies every complete `{"Width":..,"Height":..}` object in `text`; returns the unparsed rest. */
function applyResizes(text: string, session: ExecSession): string {
  let rest = text;
  for (;;) {
    const start = rest.indexOf('{');
    const end = rest.indexOf('}', start);
    if (start === -1 || end === -1) return start === -1 ? '' : rest.slice(start);
    const json = rest.slice(start, end + 1);
    rest = rest.slice(end + 1);
    try {
      const size = JSON.parse(json) as { Width?: unknown; Height?: unknown };
      if (typeof size.Width === 'number' && typeof size.Height === 'number') session.resize(size.Width, size.Height);
    } catch {
      // A malformed resize is ignored, as kubelet logs and ignores it.
    }
  }
}

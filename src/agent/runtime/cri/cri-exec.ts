// An exec through containerd's streaming server: CRI Exec answers with a single-use URL
// (http://127.0.0.1:<stream port>/exec/<token>), and we connect to it as kubelet's client does,
// over SPDY/3.1 with the v4.channel.k8s.io stream protocol:
//   POST <url>  Connection: Upgrade  Upgrade: SPDY/3.1  X-Stream-Protocol-Version: v4.channel.k8s.io
//   → 101, then one stream per channel, each opened with a `streamType` header, in client-go's
//   order: error, stdin, stdout, stderr, resize (resize only with a TTY). The server waits for
//   exactly the streams the CRI request asked for.
// stdin's FIN is the command's EOF (which the WebSocket protocol cannot say before v5); resizes
// are JSON {"Width":W,"Height":H} objects on the resize stream; at the end the server writes a v4
// Status on the error stream (Success, NonZeroExitCode with an ExitCode cause, or an internal
// error such as runc's "executable file not found") and closes the connection.
//
// The client going away closes the connection; like kubelet's, that does not kill a command that
// ignores its closed stdin and outputs (containerd has no "cancel exec").
//
// CRI Attach answers the same kind of URL (/attach/<token>) with the same streams and statuses, so
// kubectl attach -i goes through here too (openCriStreams): stdin's FIN then ends the attach, or
// with stdinOnce is the container's EOF; the streams end when the container exits.
import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import { SpdySession } from '../../../lib/spdy/spdy-session.js';
import type { SpdyStream } from '../../../lib/spdy/spdy-stream.js';
import { ExecStartError } from '../exec-start-error.js';
import type { AttachRequest, ExecSession } from '../runtime.js';

const PROTOCOL = 'v4.channel.k8s.io';
/** The prefixes kubelet's streaming server puts before a runtime error (our routes add them back). */
const INTERNAL_PREFIXES = ['Internal error occurred: error executing command in container: ', 'Internal error occurred: error attaching to container: '];

/** Upgrades to SPDY at the streaming server's URL; resolves with the raw socket. */
function upgrade(url: string, signal?: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: 'POST',
      headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': PROTOCOL, 'Content-Length': '0' },
      ...(signal ? { signal } : {}),
    });
    req.once('upgrade', (res, socket: Socket, head: Buffer) => {
      const agreed = res.headers['x-stream-protocol-version'];
      if (agreed !== PROTOCOL) {
        socket.destroy();
        reject(new Error(`containerd streaming server did not agree on ${PROTOCOL} (answered "${String(agreed ?? '')}")`));
        return;
      }
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('end', () => reject(new Error(`containerd streaming server refused the stream: ${res.statusCode ?? 0} ${Buffer.concat(chunks).toString('utf8').trim()}`)));
    });
    req.once('error', reject);
    req.end();
  });
}

interface V4Status {
  readonly status?: string;
  readonly message?: string;
  readonly reason?: string;
  readonly details?: { readonly causes?: readonly { readonly reason?: string; readonly message?: string }[] };
}

/** The exit code a v4 status stands for; throws ExecStartError for a command that did not run. */
export function exitCodeFromStatus(text: string): number {
  if (text.trim() === '') return 0;
  let status: V4Status;
  try {
    status = JSON.parse(text) as V4Status;
  } catch (error) {
    throw new Error(`error stream protocol error: ${(error as Error).message} in ${JSON.stringify(text)}`, { cause: error });
  }
  if (status.status === 'Success') return 0;
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message);
    if (Number.isInteger(code) && code >= 0) return code;
    throw new Error('error stream protocol error: no ExitCode cause given');
  }
  const message = status.message ?? 'unknown error';
  const prefix = INTERNAL_PREFIXES.find((p) => message.startsWith(p));
  throw new ExecStartError(prefix !== undefined ? message.slice(prefix.length) : message);
}

function readAll(stream: Readable): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.once('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/**
 * The readable half of an output stream (we never write to it). When the command could not start,
 * containerd closes the connection without a FIN on the outputs and the session destroys them;
 * readers still get a clean end rather than a premature close.
 */
function outputOf(stream: SpdyStream | undefined): Readable | undefined {
  if (!stream) return undefined;
  const out = new PassThrough();
  stream.pipe(out);
  stream.once('close', () => {
    if (!out.writableEnded) out.end();
  });
  return out;
}

/** Which streams to open (an ExecRequest or AttachRequest). */
export type CriStreamRequest = Pick<AttachRequest, 'stdin' | 'stdout' | 'stderr' | 'tty'>;

/** Connects to an Exec or Attach URL of containerd's streaming server. */
export async function openCriStreams(url: string, request: CriStreamRequest, signal?: AbortSignal): Promise<ExecSession> {
  const socket = await upgrade(url, signal);
  const session = new SpdySession({ transport: socket, role: 'client' });
  const open = async (streamType: string): Promise<SpdyStream> => {
    const stream = session.openStream({ streamType });
    await stream.waitReply();
    return stream;
  };
  const wantsStderr = request.stderr && !request.tty;
  let streams;
  try {
    const error = await open('error');
    const stdin = request.stdin ? await open('stdin') : undefined;
    const stdout = request.stdout ? await open('stdout') : undefined;
    const stderr = wantsStderr ? await open('stderr') : undefined;
    const resize = request.tty ? await open('resize') : undefined;
    streams = { error, stdin, stdout, stderr, resize };
  } catch (error) {
    session.destroy();
    throw error;
  }
  const { stdin, stdout, stderr, resize } = streams;
  // This side never writes to the output streams; their readable sides carry the command's bytes.
  const statusText = readAll(streams.error);
  const exit = (async () => {
    const text = await statusText;
    await session.closed.catch(() => undefined);
    return exitCodeFromStatus(text);
  })();
  exit.catch(() => undefined);
  // The command's end closes the connection from the server side; end our side too.
  void statusText.then(() => session.close());
  stdin?.resume();
  const out = outputOf(stdout);
  const err = outputOf(stderr);
  return {
    ...(stdin ? { stdin } : {}),
    ...(out ? { stdout: out } : {}),
    ...(err ? { stderr: err } : {}),
    resize(width, height) {
      if (!resize || resize.writableEnded || resize.destroyed) return;
      resize.write(`${JSON.stringify({ Width: width, Height: height })}\n`);
    },
    exit,
    close() {
      session.close();
    },
  };
}

/** An exec session (the URL of CRI Exec). */
export const openCriExec = openCriStreams;

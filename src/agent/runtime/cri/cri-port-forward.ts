// One port-forward connection through containerd's streaming server, from the URL that CRI
// PortForward returns (single-use token, so one URL per connection). The protocol is the one
// kubectl speaks to kubelet (kubectl-wire §3.16):
//   POST <url>  Connection: Upgrade  Upgrade: SPDY/3.1  X-Stream-Protocol-Version: portforward.k8s.io
// then, as the SPDY client, an "error" stream (half-closed at once) and a "data" stream, both with
// headers streamtype, port and requestid. The data stream is the connection; text on the error
// stream (e.g. `failed to connect to localhost:9 inside namespace ...: connection refused`)
// destroys it with that message, which the agent's port-forward route passes on to kubectl.
import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { SpdySession } from '../../../lib/spdy/spdy-session.js';

const PROTOCOL = 'portforward.k8s.io';

function upgrade(url: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: 'POST',
      headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': PROTOCOL, 'Content-Length': '0' },
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
      res.once('end', () => reject(new Error(`containerd streaming server refused the port-forward: ${res.statusCode ?? 0} ${Buffer.concat(chunks).toString('utf8').trim()}`)));
    });
    req.once('error', reject);
    req.end();
  });
}

/** Resolves once the streaming server accepted the data stream; see the file comment. */
export async function openCriPortForward(url: string, port: number): Promise<Duplex> {
  const socket = await upgrade(url);
  const session = new SpdySession({ transport: socket, role: 'client' });
  const headers = { port: String(port), requestid: '0' };
  const errorStream = session.openStream({ streamtype: 'error', ...headers });
  errorStream.end();
  const data = session.openStream({ streamtype: 'data', ...headers });
  let message = '';
  errorStream.on('data', (chunk: Buffer) => {
    message += chunk.toString('utf8');
  });
  errorStream.on('end', () => {
    if (message.trim() !== '') data.destroy(new Error(message.trim()));
  });
  // The forwarded connection is the whole session: when it is over, so is the session.
  data.on('close', () => session.close());
  void session.closed.then(() => data.destroy());
  try {
    await data.waitReply();
  } catch (error) {
    session.destroy();
    throw new Error(`containerd streaming server refused the port-forward stream: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return data;
}

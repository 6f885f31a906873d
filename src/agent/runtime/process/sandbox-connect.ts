// A TCP connection to a port of a pod (process runtime), for kubectl port-forward. kubelet's
// runtimes connect to 127.0.0.1:<port> inside the pod's network namespace, so a server bound to
// the pod's loopback is reachable too. Here: first the pod's IP from the host (cheap, no extra
// process); when that is refused and we may enter the pod's namespace (root, a process of the pod
// known), a small relay runs inside it — `nsenter -t PID -n <node> -e <relay>` — connecting to
// 127.0.0.1:<port> there and copying bytes over its stdin/stdout. Host-network pods: 127.0.0.1.
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { Duplex } from 'node:stream';

export interface SandboxConnectOptions {
  /** The pod's IP (the host's for host-network pods). */
  readonly ip: string;
  readonly port: number;
  readonly hostNetwork: boolean;
  /** A process inside the pod's network namespace (root only), to reach listeners on its loopback. */
  readonly pid?: number;
  /** The program that runs the relay inside the namespace (default: this node binary). */
  readonly nodePath?: string;
}

/**
 * Runs inside the pod's network namespace. Reports `ok` (or the connect error) on stderr first, so
 * the caller learns whether anything listens before it hands out the stream.
 */
const RELAY_SCRIPT = `
const net = require('node:net');
const port = Number(process.argv[1]);
const socket = net.connect(port, '127.0.0.1');
socket.on('connect', () => {
  process.stderr.write('ok\\n');
  process.stdin.pipe(socket);
  socket.pipe(process.stdout);
});
socket.on('error', (error) => {
  process.stderr.write('error ' + error.message + '\\n');
  process.exit(1);
});
socket.on('close', () => process.stdout.end(() => process.exit(0)));
`;

function connectTcp(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

function relayInNamespace(pid: number, port: number, nodePath: string): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const child = spawn('nsenter', ['-t', String(pid), '-n', '--', nodePath, '-e', RELAY_SCRIPT, String(port)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let status = '';
    let settled = false;
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      if (error) {
        child.kill('SIGKILL');
        reject(error);
        return;
      }
      const duplex = Duplex.from({ readable: child.stdout, writable: child.stdin });
      // Whoever is done with the stream ends the relay too.
      duplex.on('close', () => {
        if (child.exitCode === null) child.kill('SIGTERM');
      });
      resolve(duplex);
    };
    child.stderr.on('data', (chunk: Buffer) => {
      status += chunk.toString('utf8');
      const line = status.split('\n')[0];
      if (!status.includes('\n') || line === undefined) return;
      if (line === 'ok') settle();
      else settle(new Error(line.replace(/^error /, '')));
    });
    child.once('error', (error) => settle(error));
    child.once('exit', (code) => settle(new Error(`port-forward relay exited with code ${code ?? 'null'}: ${status.trim()}`)));
  });
}

export async function connectInSandbox(options: SandboxConnectOptions): Promise<Duplex> {
  const host = options.hostNetwork ? '127.0.0.1' : options.ip;
  try {
    return await connectTcp(host, options.port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (options.hostNetwork || options.pid === undefined || code !== 'ECONNREFUSED') throw error;
    // Nothing on the pod IP: maybe the server listens on the pod's loopback only.
    return relayInNamespace(options.pid, options.port, options.nodePath ?? process.execPath);
  }
}

// kubectl port-forward end to end: the real kubectl 1.32 against `k8ts server` (process runtime),
// through the API server's pods/portforward proxy to the agent's /portForward endpoint, over both
// of kubectl's transports: SPDY/3.1 tunnelled in a WebSocket (its default) and plain SPDY/3.1
// (KUBECTL_PORT_FORWARD_WEBSOCKETS=false). The pod is a node HTTP server: small answers, 10 MiB
// down, 10 MiB up (checksums compared), and a second listener bound to the pod's loopback only.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../helpers/free-port.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { KUBECTL_132, kubectlFor, type Kubectl } from '../helpers/kubectl.js';

const SIZE = 10 * 1024 * 1024;

/** The pod's program: GET / -> "hello from <port>", GET /big -> SIZE bytes, POST /sha -> sha256 of the body. */
const SERVER_SCRIPT = `
const http = require('node:http');
const crypto = require('node:crypto');
const handler = (label) => (req, res) => {
  if (req.url === '/big') {
    const block = Buffer.alloc(64 * 1024);
    for (let i = 0; i < block.length; i++) block[i] = (i * 7) & 255;
    res.writeHead(200, { 'Content-Length': ${SIZE} });
    let left = ${SIZE} / block.length;
    const more = () => { while (left > 0) { left--; if (!res.write(block)) return res.once('drain', more); } res.end(); };
    return more();
  }
  if (req.url === '/sha') {
    const hash = crypto.createHash('sha256');
    req.on('data', (c) => hash.update(c));
    return req.on('end', () => res.end(hash.digest('hex')));
  }
  res.end('hello from ' + label);
};
http.createServer(handler('8080')).listen(8080, '0.0.0.0');
http.createServer(handler('loopback')).listen(8081, '127.0.0.1');
`;

function podManifest(): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'pf' },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'web', image: 'node', command: [process.execPath, '-e', SERVER_SCRIPT] }] },
  });
}

function bigBody(): Buffer {
  const block = Buffer.alloc(64 * 1024);
  for (let i = 0; i < block.length; i++) block[i] = (i * 7) & 255;
  return Buffer.concat(Array.from({ length: SIZE / block.length }, () => block));
}

const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

function http(port: number, path: string, body?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Forward {
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `kubectl port-forward` and waits for every "Forwarding from" line (or its exit). */
async function portForward(kubectl: Kubectl, args: readonly string[], env: Record<string, string>, forwards: number): Promise<Forward> {
  const child = spawn(KUBECTL_132, ['--kubeconfig', kubectl.kubeconfig, '--cache-dir', kubectl.cacheDir, 'port-forward', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve) => {
    const check = (chunk: Buffer): void => {
      output += chunk.toString();
      if ((output.match(/Forwarding from 127\.0\.0\.1/g) ?? []).length >= forwards) resolve();
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    void exited.then(() => resolve());
  });
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

const root = process.getuid?.() === 0;

describe('kubectl port-forward (process runtime)', { timeout: 300_000 }, () => {
  let server: RunningServer;
  let kubectl: Kubectl;

  before(async () => {
    server = await startServer({ store: 'memory', workloads: true });
    kubectl = kubectlFor(server.kubeconfig);
    await kubectl.ok(['apply', '-f', '-'], { input: podManifest() });
    await kubectl.ok(['wait', '--for=condition=Ready', 'pod/pf', '--timeout=120s']);
    // Ready means started, not listening yet: wait until the server answers through a forward.
  });

  after(async () => {
    await server?.stop();
    await server?.cleanup();
  });

  for (const [transport, env] of [
    ['WebSocket tunnel', {}],
    ['SPDY fallback', { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }],
  ] as const) {
    it(`forwards small and 10 MiB transfers both ways (${transport})`, async () => {
      const [local, localLoopback] = [await freePort(), await freePort()];
      const forward = await portForward(kubectl, ['pod/pf', `${local}:8080`, `${localLoopback}:8081`], env, 2);
      try {
        assert.match(forward.output(), new RegExp(`Forwarding from 127\\.0\\.0\\.1:${local} -> 8080`), forward.output());
        let hello = '';
        for (let attempt = 0; attempt < 50 && hello === ''; attempt++) {
          hello = await http(local, '/').then((b) => b.toString(), () => new Promise<string>((r) => setTimeout(() => r(''), 200)));
        }
        assert.equal(hello, 'hello from 8080');
        const body = bigBody();
        assert.equal(sha(await http(local, '/big')), sha(body));
        assert.equal((await http(local, '/sha', body)).toString(), sha(body));
        // Several connections over one kubectl session.
        const answers = await Promise.all([1, 2, 3].map(() => http(local, '/')));
        assert.deepEqual(answers.map(String), ['hello from 8080', 'hello from 8080', 'hello from 8080']);
        if (root) assert.equal((await http(localLoopback, '/')).toString(), 'hello from loopback');
        assert.equal(forward.child.exitCode, null, forward.output());
      } finally {
        await forward.stop();
      }
    });
  }

  it('a pod that does not exist: kubectl prints the NotFound', async () => {
    const result = await kubectl(['port-forward', 'pod/nope', `${await freePort()}:80`], { binary: KUBECTL_132 });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /pods "nope" not found/);
  });

  it('nothing listening on the port: kubectl reports the forwarding error', async () => {
    const local = await freePort();
    const forward = await portForward(kubectl, ['pod/pf', `${local}:9`], {}, 1);
    try {
      await assert.rejects(http(local, '/'));
      // kubectl 1.32 prints the error stream's text, then drops the whole session itself
      // ("lost connection to pod"), as it does against a real kubelet.
      for (let i = 0; i < 50 && !/an error occurred forwarding/.test(forward.output()); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(forward.output(), new RegExp(`an error occurred forwarding ${local} -> 9: error forwarding port 9 to pod pf_default, uid [0-9a-f-]+: .*ECONNREFUSED`));
    } finally {
      await forward.stop();
    }
  });
});

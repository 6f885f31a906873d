// Smoke test of `k8ts server` from source: it starts, writes a working kubeconfig, answers the
// real kubectl 1.32, and exits 0 on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from '../helpers/free-port.js';
import { KUBECTL_132, kubectlFor, type Kubectl } from '../helpers/kubectl.js';

const repoRoot = resolve(import.meta.dirname, '../..');

describe('k8ts server smoke', () => {
  let dataDir: string;
  let child: ReturnType<typeof spawn>;
  let exited: Promise<number | null>;
  let output = '';
  let kubectl: Kubectl;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'k8ts-smoke-'));
    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cmd/main.ts'), 'server', '--data-dir', dataDir, '--port', String(port), '--log-level', 'warn'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise((done) => child.once('exit', (code) => done(code)));
    const deadline = Date.now() + 60_000;
    while (!existsSync(join(dataDir, 'kubeconfig'))) {
      if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${output}`);
      if (Date.now() > deadline) throw new Error(`server not ready after 60 s:\n${output}`);
      await delay(50);
    }
    kubectl = kubectlFor(join(dataDir, 'kubeconfig'));
  });

  after(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    await rm(kubectl.cacheDir, { recursive: true, force: true });
  });

  it('writes a 0600 kubeconfig and prints the export line', async () => {
    assert.equal((await stat(join(dataDir, 'kubeconfig'))).mode & 0o777, 0o600);
    const config = await readFile(join(dataDir, 'kubeconfig'), 'utf8');
    assert.match(config, /certificate-authority-data: \S+/);
    assert.match(config, /server: https:\/\/127\.0\.0\.1:\d+/);
    assert.match(config, /current-context: k8ts/);
    for (let i = 0; i < 100 && !output.includes('export KUBECONFIG='); i++) await delay(20);
    assert.ok(output.includes(`export KUBECONFIG=${join(dataDir, 'kubeconfig')}`), output);
  });

  it('kubectl get ns lists the system namespaces', async () => {
    const result = await kubectl(['get', 'ns'], { binary: KUBECTL_132 });
    assert.equal(result.code, 0, result.stderr);
    const names = result.stdout.trim().split('\n').slice(1).map((line) => line.split(/\s+/)[0]);
    assert.deepEqual(names, ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    assert.match(result.stdout, /^NAME\s+STATUS\s+AGE/);
  });

  it('kubectl version reports the 1.32 server', async () => {
    const result = await kubectl(['version'], { binary: KUBECTL_132 });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Server Version: v1\.32\.0-k8ts/);
  });

  it('exits 0 on SIGTERM', async () => {
    child.kill('SIGTERM');
    assert.equal(await exited, 0, output);
  });
});

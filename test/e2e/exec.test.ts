// kubectl exec and cp end to end: the real kubectl against `k8ts server`, through the API server's
// pods/exec proxy to the agent's /exec WebSocket endpoint, with two runtimes:
//  - process: containers are host processes, so `kubectl cp` finds the host's /bin/tar and files
//    copied "into the pod" land on the host file system (inside a temp dir of this test);
//  - containerd (skipped without a private containerd; fails under CI=true): busybox containers,
//    exec through containerd's streaming server (SPDY), cp with busybox tar.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { containerdSkipReason, startContainerdEnv, type ContainerdEnv } from '../helpers/containerd-env.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { eventually } from '../helpers/eventually.js';
import { KUBECTL, kubectlFor, type Kubectl } from '../helpers/kubectl.js';

function pod(name: string, containers: readonly string[], image: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: containers.map((container) => ({
        name: container,
        image,
        command: ['sleep', '3600'],
        env: [{ name: 'WHO', value: container }],
      })),
    },
  });
}

/** Runs a command under util-linux `script`, so that it has a terminal (kubectl exec -t needs one). */
function underTerminal(command: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
    child.stdin.end();
  });
}

const quote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

interface Backend {
  /** Server flags selecting the runtime. */
  readonly serverArgs: readonly string[];
  readonly image: string;
  /** A directory inside the pod's file system that kubectl cp may write under. */
  readonly podDir: (work: string) => string;
}

function execSuite(name: string, options: { skip?: string; backend: () => Promise<Backend & { stop?: () => Promise<void> }> }): void {
  describe(`kubectl exec and cp (${name})`, { timeout: 600_000, ...(options.skip !== undefined ? { skip: options.skip } : {}) }, () => {
    let server: RunningServer;
    let kubectl: Kubectl;
    let work: string;
    let backend: Backend & { stop?: () => Promise<void> };

    before(async () => {
      work = await mkdtemp(join(tmpdir(), 'k8ts-e2e-exec-'));
      backend = await options.backend();
      server = await startServer({ store: 'memory', workloads: true, extraArgs: ['--node-name', 'exec-node', ...backend.serverArgs] });
      kubectl = kubectlFor(server.kubeconfig);
      await kubectl.ok(['apply', '-f', '-'], { input: pod('solo', ['main'], backend.image) });
      await kubectl.ok(['apply', '-f', '-'], { input: pod('duo', ['first', 'second'], backend.image) });
      await kubectl.ok(['wait', '--for=condition=Ready', 'pod/solo', 'pod/duo', '--timeout=120s']);
    });

    after(async () => {
      const code = await server?.stop();
      await server?.cleanup();
      await backend?.stop?.();
      if (work) await rm(work, { recursive: true, force: true });
      assert.equal(code, 0, `server should exit 0 on SIGTERM:\n${server?.output().slice(-4000)}`);
    });

    it('passes stdout, stderr and the exit code', async () => {
      const result = await kubectl(['exec', 'solo', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
      assert.equal(result.stdout, 'out\n');
      assert.match(result.stderr, /^err\n/);
      assert.match(result.stderr, /command terminated with exit code 3/);
      assert.equal(result.code, 3);
    });

    it('exits 0 with the output of a successful command', async () => {
      const result = await kubectl(['exec', 'solo', '--', 'sh', '-c', 'echo "$WHO"; echo "$@"', 'sh', 'a b', 'c']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'main\na b c\n');
    });

    it('feeds stdin and ends it (-i)', async () => {
      const result = await kubectl(['exec', '-i', 'solo', '--', 'cat'], { input: 'hi\n' });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'hi\n');
    });

    it('gives a terminal with -it', async () => {
      const command = [KUBECTL, '--kubeconfig', server.kubeconfig, '--cache-dir', kubectl.cacheDir, 'exec', '-it', 'solo', '--', 'sh', '-c', 'tty; echo "term=$TERM"; exit 5']
        .map(quote).join(' ');
      const result = await underTerminal(command, {});
      assert.match(result.output, /\/dev\/pts\/\d+\r?\n/);
      assert.match(result.output, /term=xterm/);
      assert.match(result.output, /command terminated with exit code 5/);
      assert.equal(result.code, 5);
    });

    it('copies a file into the pod and back (kubectl cp)', async () => {
      const local = join(work, 'local.txt');
      const inPod = backend.podDir(work);
      const content = `copied ${Date.now()}\nsecond line\n`;
      await writeFile(local, content);
      await kubectl.ok(['exec', 'solo', '--', 'mkdir', '-p', inPod]);
      await kubectl.ok(['cp', local, `solo:${inPod}/`]);
      assert.equal(await kubectl.ok(['exec', 'solo', '--', 'cat', `${inPod}/local.txt`]), content);
      const back = join(work, 'back.txt');
      await kubectl.ok(['cp', `solo:${inPod}/local.txt`, back]);
      assert.equal(await readFile(back, 'utf8'), content);
    });

    it('uses the first container of a multi-container pod when none is named', async () => {
      const result = await kubectl(['exec', 'duo', '--', 'sh', '-c', 'echo "$WHO"']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'first\n');
      assert.match(result.stderr, /Defaulted container "first" out of: first, second/);
      assert.equal(await kubectl.ok(['exec', 'duo', '-c', 'second', '--', 'sh', '-c', 'echo "$WHO"']), 'second\n');
    });

    it('reports a container the pod does not have', async () => {
      const result = await kubectl(['exec', 'duo', '-c', 'nosuch', '--', 'true']);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /container nosuch is not valid for pod duo/);
    });

    it('reports a command that does not exist', async () => {
      const result = await kubectl(['exec', 'solo', '--', 'no-such-command-k8ts']);
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /exec: "no-such-command-k8ts": executable file not found in \$PATH/);
    });

    it('kubectl attach streams what the container writes from then on and ends when it exits; -i is refused with what to use', async () => {
      const dir = backend.podDir(work);
      const stop = `${dir}/attach-stop`;
      const talker = JSON.parse(pod('talker', ['main'], backend.image)) as { spec: { restartPolicy?: string; containers: { command: string[] }[] } };
      talker.spec.restartPolicy = 'Never';
      talker.spec.containers[0]!.command = ['sh', '-c', `i=0; while [ ! -e ${stop} ]; do echo "line $i"; i=$((i+1)); sleep 0.3; done; echo bye`];
      await kubectl.ok(['apply', '-f', '-'], { input: JSON.stringify(talker) });
      await kubectl.ok(['wait', '--for=condition=Ready', 'pod/talker', '--timeout=120s']);
      // Output from before the attach is not replayed: wait until some exists.
      await eventually('talker wrote line 1', async () => ((await kubectl.ok(['logs', 'talker'])).includes('line 1\n') ? true : undefined));

      const attach = spawn(KUBECTL, ['--kubeconfig', server.kubeconfig, '--cache-dir', kubectl.cacheDir, 'attach', 'talker'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      attach.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      attach.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => attach.once('close', resolve));
      await eventually('attach shows new lines', async () => ((out.match(/^line \d+$/gm) ?? []).length >= 2 ? true : undefined));

      const refused = await kubectl(['attach', '-i', 'talker']);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /attaches to a container's output only, not to its stdin: use "kubectl attach talker" without -i\/-t/);

      await kubectl.ok(['exec', 'talker', '--', 'sh', '-c', `mkdir -p ${dir} && touch ${stop}`]);
      assert.equal(await exited, 0, err);
      const numbers = (out.match(/^line (\d+)$/gm) ?? []).map((line) => Number(line.slice(5)));
      assert.ok(numbers[0]! >= 2, `the attach replayed old output: ${out}`);
      assert.deepEqual(numbers, numbers.map((_, i) => numbers[0]! + i), `lines missing or repeated: ${out}`);
      assert.match(out, /^bye$/m);
      await kubectl.ok(['delete', 'pod', 'talker', '--wait=false']);
    });
  });
}

execSuite('process runtime', {
  backend: () => Promise.resolve({ serverArgs: ['--runtime', 'process', '--pod-network', 'host'], image: 'k8ts.test/shell:1', podDir: (work) => join(work, 'pod-dir') }),
});

const containerdSkip = containerdSkipReason();
execSuite('containerd runtime', {
  ...(containerdSkip !== undefined ? { skip: containerdSkip } : {}),
  backend: async () => {
    const env: ContainerdEnv = await startContainerdEnv();
    return {
      serverArgs: ['--runtime', 'containerd', '--cri-socket', env.socket, '--pod-cidr', env.podCidr],
      image: env.images.shell,
      podDir: () => '/tmp/cp-dir',
      stop: async () => {
        await env.stop();
        assert.deepEqual(await env.leftovers(), []);
      },
    };
  },
});

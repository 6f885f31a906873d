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
function underTerminal(command: string, env: Record<string, string>, input = ''): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
    child.stdin.end(input);
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

    it('kubectl attach streams what the container writes from then on and ends when it exits; -i to a container without stdin streams output too', async () => {
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

      // As on containerd: stdin to a container without `stdin: true` is dropped; output still comes.
      const withInput = spawnKubectl(['attach', '-i', 'talker'], 'ignored\n');
      await eventually('attach -i shows new lines', () => ((withInput.out().match(/^line \d+$/gm) ?? []).length >= 2 ? Promise.resolve(true) : Promise.resolve(undefined)));

      await kubectl.ok(['exec', 'talker', '--', 'sh', '-c', `mkdir -p ${dir} && touch ${stop}`]);
      assert.equal(await exited, 0, err);
      assert.equal(await withInput.exited, 0, withInput.err());
      assert.match(withInput.out(), /^bye$/m);
      const numbers = (out.match(/^line (\d+)$/gm) ?? []).map((line) => Number(line.slice(5)));
      assert.ok(numbers[0]! >= 2, `the attach replayed old output: ${out}`);
      assert.deepEqual(numbers, numbers.map((_, i) => numbers[0]! + i), `lines missing or repeated: ${out}`);
      assert.match(out, /^bye$/m);
      await kubectl.ok(['delete', 'pod', 'talker', '--wait=false']);
    });

    it('kubectl attach -i feeds a stdin: true container; the client\'s EOF detaches and a later attach still reaches it', async () => {
      const shell = JSON.parse(pod('shell', ['main'], backend.image)) as { spec: { restartPolicy?: string; containers: Record<string, unknown>[] } };
      shell.spec.restartPolicy = 'Never';
      Object.assign(shell.spec.containers[0]!, { command: ['sh'], stdin: true });
      await kubectl.ok(['apply', '-f', '-'], { input: JSON.stringify(shell) });
      await kubectl.ok(['wait', '--for=condition=Ready', 'pod/shell', '--timeout=120s']);

      const first = spawnKubectl(['attach', '-i', 'shell']);
      first.write('echo "first $((20+1))"\n');
      await eventually('the shell answered', () => Promise.resolve(first.out().includes('first 21\n') ? true : undefined));
      first.end();
      assert.equal(await first.exited, 0, first.err());
      // Not stdinOnce: the shell did not see EOF and still runs.
      assert.equal(await kubectl.ok(['get', 'pod', 'shell', '-o', 'jsonpath={.status.phase}']), 'Running');

      const second = spawnKubectl(['attach', '-i', 'shell']);
      second.write('echo "second $((40+2))"\n');
      await eventually('the shell answered the second attach', () => Promise.resolve(/^second 42$/m.test(second.out()) ? true : undefined));
      // Exit only once the answer arrived: output written just before the process exits can miss a
      // live attach stream (containerd stops copying to attach streams when the task exits).
      second.write('exit 4\n');
      assert.equal(await second.exited, 0, second.err());
      await eventually('the shell exited 4', async () => ((await kubectl.ok(['get', 'pod', 'shell', '-o', 'jsonpath={.status.containerStatuses[0].state.terminated.exitCode}'])) === '4' ? true : undefined));
      await kubectl.ok(['delete', 'pod', 'shell', '--wait=false']);
    });

    it('stdinOnce: the first attach\'s EOF is the container\'s EOF', async () => {
      const once = JSON.parse(pod('once', ['main'], backend.image)) as { spec: { restartPolicy?: string; containers: Record<string, unknown>[] } };
      once.spec.restartPolicy = 'Never';
      // The sleep keeps the process (and so the attach) alive until its last line is delivered: see
      // the note in the attach test above.
      Object.assign(once.spec.containers[0]!, { command: ['sh', '-c', 'cat; echo "cat saw EOF"; sleep 2'], stdin: true, stdinOnce: true });
      await kubectl.ok(['apply', '-f', '-'], { input: JSON.stringify(once) });
      await kubectl.ok(['wait', '--for=condition=Ready', 'pod/once', '--timeout=120s']);
      const result = await kubectl(['attach', '-i', 'once'], { input: 'one\ntwo\n' });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /one\ntwo\ncat saw EOF\n/);
      await eventually('once succeeded', async () => ((await kubectl.ok(['get', 'pod', 'once', '-o', 'jsonpath={.status.phase}'])) === 'Succeeded' ? true : undefined));
      await kubectl.ok(['delete', 'pod', 'once', '--wait=false']);
    });

    it('kubectl run -i --rm --restart=Never prints the output, deletes the pod and exits with the container\'s code', async () => {
      // Each exit is sent once the answer arrived (see the note in the attach test above).
      const run = spawnKubectl(['run', '-i', '--rm', '--restart=Never', 'oneshot', `--image=${backend.image}`, '--', 'sh']);
      run.write('echo "hi from $((6*7))"\n');
      await eventually('the shell answered', () => Promise.resolve(/^hi from 42$/m.test(run.out()) ? true : undefined));
      run.write('exit 3\n');
      const result = { code: await run.exited, stdout: run.out(), stderr: run.err() };
      // Upstream kubectl: a Failed pod's container exit code becomes kubectl's, with this message.
      assert.equal(result.code, 3, result.stderr);
      assert.match(result.stderr, /pod default\/oneshot terminated \(Error\)/);
      assert.match(result.stdout + result.stderr, /pod "oneshot" deleted/);
      const gone = await kubectl(['get', 'pod', 'oneshot']);
      assert.match(gone.stderr, /NotFound|not found/);

      // stdin's EOF (kubectl run -i sets stdinOnce) is the shell's end.
      const ok = spawnKubectl(['run', '-i', '--rm', '--restart=Never', 'oneshot-ok', `--image=${backend.image}`, '--', 'sh']);
      ok.write('echo fine\n');
      await eventually('the shell answered', () => Promise.resolve(/^fine$/m.test(ok.out()) ? true : undefined));
      ok.end();
      assert.equal(await ok.exited, 0, ok.err());
    });

    it('kubectl run -it over a pipe goes on without a TTY', async () => {
      // stdin stays open until the shell exited: a TTY container's stdin EOF is not its end on
      // containerd (stdinOnce closes the stdin only, the terminal stays), so the shell exits itself.
      const run = spawnKubectl(['run', '-it', '--rm', '--restart=Never', 'pipe-tty', `--image=${backend.image}`, '--', 'sh']);
      run.write('echo "piped $((1+1))"\n');
      await eventually('the shell answered', () => Promise.resolve(/^piped 2\r?$/m.test(run.out()) ? true : undefined));
      run.write('exit 0\n');
      const code = await run.exited;
      assert.match(run.err(), /Unable to use a TTY - input is not a terminal or the right kind of file/);
      assert.equal(code, 0, run.err());
    });

    it('kubectl attach -it gives a stdin+tty container its terminal', async () => {
      const term = JSON.parse(pod('term', ['main'], backend.image)) as { spec: { restartPolicy?: string; containers: Record<string, unknown>[] } };
      term.spec.restartPolicy = 'Never';
      Object.assign(term.spec.containers[0]!, { command: ['sh'], stdin: true, tty: true });
      await kubectl.ok(['apply', '-f', '-'], { input: JSON.stringify(term) });
      await kubectl.ok(['wait', '--for=condition=Ready', 'pod/term', '--timeout=120s']);
      const command = [KUBECTL, '--kubeconfig', server.kubeconfig, '--cache-dir', kubectl.cacheDir, 'attach', '-it', 'term'].map(quote).join(' ');
      // kubectl under `script` has a terminal; its input stays open until the container exited (an
      // early EOF would be a ^D on that terminal).
      const terminal = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let output = '';
      terminal.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      terminal.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const closed = new Promise<number | null>((resolve) => terminal.once('close', resolve));
      terminal.stdin.write('tty; echo "term=$TERM size=$(stty size)"\n');
      await eventually('the terminal answered', () => Promise.resolve(/term=xterm size=\d+ \d+/.test(output) ? true : undefined));
      terminal.stdin.write('exit 6\n');
      await eventually('term exited 6', async () => ((await kubectl.ok(['get', 'pod', 'term', '-o', 'jsonpath={.status.containerStatuses[0].state.terminated.exitCode}'])) === '6' ? true : undefined));
      terminal.stdin.end();
      await closed;
      assert.match(output, /\/dev\/pts\/\d+\r?\n/);
      assert.match(output, /term=xterm size=\d+ \d+/);
      await kubectl.ok(['delete', 'pod', 'term', '--wait=false']);
    });

    /** kubectl with a stdin pipe kept open until end() (or closed after `input`). */
    function spawnKubectl(args: readonly string[], input?: string): { write(text: string): void; end(): void; out(): string; err(): string; exited: Promise<number | null> } {
      const child = spawn(KUBECTL, ['--kubeconfig', server.kubeconfig, '--cache-dir', kubectl.cacheDir, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.stdin.on('error', () => undefined);
      if (input !== undefined) child.stdin.end(input);
      const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
      return { write: (text) => child.stdin.write(text), end: () => child.stdin.end(), out: () => out, err: () => err, exited };
    }
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

// Images and memory volumes with real containers: the agent on a private containerd pulls from the
// loopback registry by imagePullPolicy, reports a registry failure as ErrImagePull then
// ImagePullBackOff with the registry's error, refuses an absent image under Never, and mounts an
// emptyDir of medium Memory as a tmpfs of its sizeLimit that is gone with the pod.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { containerdSkipReason, startContainerdEnv, type ContainerdEnv } from '../helpers/containerd-env.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';

const skip = containerdSkipReason() ?? (process.getuid?.() === 0 ? undefined : 'containerd needs root');

function pod(name: string, image: string, policy: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image, imagePullPolicy: policy, ...(extra.container as object ?? {}) }], ...(extra.spec as object ?? {}) },
  });
}

describe('images and memory volumes on containerd', { skip, timeout: 300_000 }, () => {
  let env: ContainerdEnv;
  let server: RunningServer;
  let kubectl: Kubectl;

  async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, seconds = 90): Promise<T> {
    let last: T | undefined;
    for (const end = Date.now() + seconds * 1000; Date.now() < end; await delay(500)) {
      last = await read();
      if (done(last)) return last;
    }
    assert.fail(`${what}: still ${JSON.stringify(last)}`);
  }

  const waiting = async (name: string): Promise<{ reason?: string; message?: string }> => {
    const out = await kubectl(['get', 'pod', name, '-o', 'jsonpath={.status.containerStatuses[0].state.waiting}']);
    return out.stdout ? (JSON.parse(out.stdout) as { reason?: string; message?: string }) : {};
  };
  const events = async (name: string): Promise<string> =>
    kubectl.ok(['get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);

  before(async () => {
    env = await startContainerdEnv();
    server = await startServer({
      store: 'memory', workloads: true,
      extraArgs: ['--node-name', 'img-node', '--runtime', 'containerd', '--cri-socket', env.socket, '--pod-cidr', env.podCidr],
    });
    kubectl = kubectlFor(server.kubeconfig);
  });

  after(async () => {
    await server?.stop();
    await server?.cleanup();
    await env?.stop();
    assert.deepEqual(await env?.leftovers(), []);
  });

  it('pulls IfNotPresent once (Pulling, Pulled with size), then finds the image present', async () => {
    await kubectl.ok(['apply', '-f', '-'], { input: pod('first', env.images.shell, 'IfNotPresent') });
    await kubectl.ok(['wait', '--for=condition=Ready', 'pod/first', '--timeout=90s']);
    const first = await until('Pulled event', () => events('first'), (text) => text.includes('Pulled:'));
    assert.match(first, new RegExp(`Pulling: Pulling image "${env.images.shell}"`));
    assert.match(first, /Pulled: (Successfully pulled image ".*" in [0-9.]+m?s \([0-9.]+m?s including waiting\)\. Image size: \d+ bytes\.|Container image ".*" already present on machine)/);
    await kubectl.ok(['apply', '-f', '-'], { input: pod('second', env.images.shell, 'IfNotPresent') });
    await kubectl.ok(['wait', '--for=condition=Ready', 'pod/second', '--timeout=90s']);
    const second = await until('Pulled event', () => events('second'), (text) => text.includes('Pulled:'));
    assert.match(second, new RegExp(`Pulled: Container image "${env.images.shell}" already present on machine`));
    assert.doesNotMatch(second, /Pulling:/);
  });

  it('reports a failed pull as ErrImagePull, then ImagePullBackOff with the registry error', async () => {
    const image = `${env.registry}/k8ts/does-not-exist:v1`;
    await kubectl.ok(['apply', '-f', '-'], { input: pod('missing', image, 'Always') });
    const backoff = await until('ImagePullBackOff', () => waiting('missing'), (w) => w.reason === 'ImagePullBackOff');
    assert.match(backoff.message ?? '', new RegExp(`^Back-off pulling image "${image}": ErrImagePull: .+`));
    const text = await events('missing');
    assert.match(text, new RegExp(`Failed: Failed to pull image "${image}": .+`));
    assert.match(text, /Failed: Error: ErrImagePull/);
    assert.match(text, new RegExp(`BackOff: Back-off pulling image "${image}"`));
    const phase = await kubectl.ok(['get', 'pod', 'missing', '-o', 'jsonpath={.status.phase}']);
    assert.equal(phase, 'Pending');
  });

  it('refuses an absent image under Never', async () => {
    const image = `${env.registry}/k8ts/never-pulled:v1`;
    await kubectl.ok(['apply', '-f', '-'], { input: pod('never', image, 'Never') });
    const w = await until('ErrImageNeverPull', () => waiting('never'), (v) => v.reason === 'ErrImageNeverPull');
    assert.equal(w.message, `Container image "${image}" is not present with pull policy of Never`);
  });

  it('mounts emptyDir medium Memory as a tmpfs of sizeLimit, and unmounts it with the pod', async () => {
    await kubectl.ok(['apply', '-f', '-'], {
      input: pod('mem', env.images.shell, 'IfNotPresent', {
        container: { volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] },
        spec: { volumes: [{ name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } }] },
      }),
    });
    await kubectl.ok(['wait', '--for=condition=Ready', 'pod/mem', '--timeout=90s']);
    const uid = await kubectl.ok(['get', 'pod', 'mem', '-o', 'jsonpath={.metadata.uid}']);
    const tmpfsLine = async () => (await readFile('/proc/self/mountinfo', 'utf8')).split('\n').find((l) => l.includes(`/pods/${uid}/volumes/scratch `)) ?? '';
    const line = await tmpfsLine();
    assert.match(line, / - tmpfs tmpfs rw.*size=8192k/);
    await kubectl.ok(['delete', 'pod', 'mem', '--wait=true', '--timeout=60s']);
    await until('tmpfs unmounted', tmpfsLine, (l) => l === '', 30);
  });
});

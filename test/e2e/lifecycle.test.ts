// Container lifecycle end to end with the real kubectl and the process runtime: postStart hooks
// (one that prepares a file the app prints, one that fails and restarts the container) and native
// sidecars (restartable init containers): the app starts beside a running sidecar, READY counts
// it, a killed sidecar is restarted, and a restartPolicy Never pod completes when its app exits
// with the sidecar stopped.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';
import { eventually } from '../helpers/eventually.js';

/** A long-running shell that ends at once on SIGTERM (a sidecar or a server stand-in). */
const idle = (marker: string): string[] => ['sh', '-c', `trap 'exit 0' TERM; while true; do sleep 0.2; done # ${marker}`];

function pod(name: string, spec: { containers: Container[]; initContainers?: Container[]; restartPolicy?: string }): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    // Bound already: the suite runs no scheduler (--no-controllers), only the API server and the agent.
    spec: { nodeName: 'e2e-node', terminationGracePeriodSeconds: 2, ...spec },
  });
}

describe('container lifecycle with kubectl', { timeout: 600_000 }, () => {
  let server: RunningServer;
  let kubectl: Kubectl;
  const getPod = async (name: string): Promise<Pod> => JSON.parse(await kubectl.ok(['get', 'pod', name, '-o', 'json'])) as Pod;
  const podWith = (name: string, test: (p: Pod) => boolean, what: string): Promise<Pod> =>
    eventually(`${name}: ${what}`, async () => {
      const current = await getPod(name);
      return test(current) ? current : undefined;
    }, 120_000);
  const eventsOf = async (name: string, reason: string): Promise<string[]> => {
    const out = await kubectl.ok(['get', 'events', '--field-selector', `involvedObject.name=${name},reason=${reason}`, '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}']);
    return out.split('\n').filter((line) => line !== '');
  };

  before(async () => {
    server = await startServer({
      store: 'memory',
      workloads: true,
      extraArgs: ['--runtime', 'process', '--node-name', 'e2e-node', '--no-controllers'],
    });
    kubectl = kubectlFor(server.kubeconfig);
    await eventually('node e2e-node Ready', async () => {
      const out = await kubectl.ok(['get', 'node', 'e2e-node', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
      return out === 'True' ? out : undefined;
    });
  });

  after(async () => {
    const code = await server.stop();
    await server.cleanup();
    assert.equal(code, 0, `server should exit 0 on SIGTERM:\n${server.output().slice(-4000)}`);
  });

  it('a postStart exec hook writes a file the app then prints', async () => {
    // The hook runs in the container's context: its working directory is the container's.
    const app: Container = {
      name: 'app', image: 'k8ts.test/app:1',
      command: ['sh', '-c', 'while [ ! -f greeting ]; do sleep 0.1; done; cat greeting; exec sleep 3600'],
      lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo written-by-postStart > greeting'] } } },
    };
    await kubectl.ok(['apply', '-f', '-'], { input: pod('hooked', { containers: [app] }) });
    const running = await podWith('hooked', (p) => p.status?.containerStatuses?.[0]?.state?.running !== undefined, 'Running');
    assert.equal(running.status?.containerStatuses?.[0]?.restartCount, 0);
    await eventually('the greeting in the log', async () =>
      (await kubectl.ok(['logs', 'hooked'])).includes('written-by-postStart') ? true : undefined);
    assert.deepEqual(await eventsOf('hooked', 'FailedPostStartHook'), []);
    await kubectl.ok(['delete', 'pod', 'hooked', '--wait=false']);
  });

  it('a failing postStart hook: FailedPostStartHook, the container killed and restarted', async () => {
    const app: Container = {
      name: 'app', image: 'k8ts.test/app:1', command: idle('poststart-fails'),
      lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo nope >&2; exit 3'] } } },
    };
    await kubectl.ok(['apply', '-f', '-'], { input: pod('hookfail', { containers: [app] }) });
    const failing = await podWith('hookfail', (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 'restarted');
    const status = failing.status?.containerStatuses?.[0];
    assert.ok(status?.state?.running === undefined, 'never Running: the hook fails every time');
    assert.ok(status?.lastState?.terminated, 'the killed attempt');
    const failed = await eventsOf('hookfail', 'FailedPostStartHook');
    assert.ok(failed.length >= 1);
    assert.equal(failed[0], 'PostStartHook failed');
    assert.ok((await eventsOf('hookfail', 'Killing')).includes('FailedPostStartHook'));
    // The waiting message (PostStartHookError: the hook's command, exit code and output) shows only
    // until the next pass turns it into CrashLoopBackOff, as upstream: the unit tests check its words.
    await kubectl.ok(['delete', 'pod', 'hookfail', '--wait=false']);
  });

  it('a sidecar runs beside the app (READY 2/2); a killed sidecar process is restarted', async () => {
    const marker = `k8ts-sidecar-${process.pid}-${Date.now()}`;
    const spec = {
      initContainers: [{ name: 'proxy', image: 'k8ts.test/proxy:1', restartPolicy: 'Always', command: idle(marker) }],
      containers: [{ name: 'app', image: 'k8ts.test/app:1', command: idle(`${marker}-app`) }],
    };
    await kubectl.ok(['apply', '-f', '-'], { input: pod('sidecar', spec) });
    const ready = await podWith('sidecar', (p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true, 'Ready');
    const side = ready.status?.initContainerStatuses?.[0];
    assert.ok(side?.state?.running, 'the sidecar keeps running');
    assert.equal(side?.started, true);
    assert.equal(ready.status?.phase, 'Running');
    assert.match(await kubectl.ok(['get', 'pod', 'sidecar']), /sidecar\s+2\/2\s+Running\s+0/);
    const pid = await eventually('the sidecar process', async () => {
      const found = execFileSync('pgrep', ['-n', '-f', `${marker}$`], { encoding: 'utf8' }).trim();
      return found === '' ? undefined : Number(found);
    });
    process.kill(pid, 'SIGKILL');
    const restarted = await podWith('sidecar', (p) => {
      const s = p.status?.initContainerStatuses?.[0];
      return s?.restartCount === 1 && s.state?.running !== undefined;
    }, 'sidecar restarted');
    assert.equal(restarted.status?.initContainerStatuses?.[0]?.lastState?.terminated?.exitCode, 137);
    assert.equal(restarted.status?.containerStatuses?.[0]?.restartCount, 0, 'the app was not restarted');
    await kubectl.ok(['delete', 'pod', 'sidecar', '--wait=false']);
  });

  it('a restartPolicy Never pod whose app exits 0 Succeeded, its sidecar stopped', async () => {
    const marker = `k8ts-job-sidecar-${process.pid}-${Date.now()}`;
    const spec = {
      restartPolicy: 'Never',
      initContainers: [{ name: 'proxy', image: 'k8ts.test/proxy:1', restartPolicy: 'Always', command: idle(marker) }],
      containers: [{ name: 'job', image: 'k8ts.test/job:1', command: ['sh', '-c', 'sleep 1; echo done'] }],
    };
    await kubectl.ok(['apply', '-f', '-'], { input: pod('jobpod', spec) });
    const done = await podWith('jobpod', (p) => p.status?.phase === 'Succeeded', 'Succeeded');
    assert.equal(done.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 0);
    const side = done.status?.initContainerStatuses?.[0];
    assert.ok(side?.state?.terminated, 'the sidecar was stopped');
    assert.equal(side?.restartCount, 0, 'and not restarted');
    assert.ok((await eventsOf('jobpod', 'Killing')).includes('Stopping container proxy'));
    assert.match(await kubectl.ok(['get', 'pod', 'jobpod']), /jobpod\s+0\/2\s+Completed\s+0/);
    assert.equal(execFileSync('sh', ['-c', `pgrep -f '${marker}$' || true`], { encoding: 'utf8' }).trim(), '', 'no sidecar process left');
    await kubectl.ok(['delete', 'pod', 'jobpod', '--wait=false']);
  });
});

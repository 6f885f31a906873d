// Workloads end to end: the real kubectl against `k8ts server` running its controllers, scheduler
// and embedded node agent with the process runtime. Each pod runs a tiny HTTP server on a port the
// OS picks (pods may share the host network), so replicas never collide.
// The server runs with --stop-pods-on-exit (the helper's `workloads: true`) so that no container
// process outlives the suite.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';
import { RolloutRecorder } from './workloads-rollout-recorder.js';
import { eventually } from '../helpers/eventually.js';

const SERVE = "require('http').createServer((q,s)=>s.end(process.env.HOSTNAME||'ok')).listen(0,()=>console.log('serving'))";

function deployment(
  name: string,
  options: { replicas: number; image: string; strategy?: object; extra?: object; command?: string[]; containerExtra?: object },
): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: options.replicas,
      selector: { matchLabels: { app: name } },
      ...(options.strategy ? { strategy: options.strategy } : {}),
      ...options.extra,
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 2,
          containers: [{ name: 'web', image: options.image, command: options.command ?? ['node', '-e', SERVE], ...options.containerExtra }],
        },
      },
    },
  });
}

describe('workloads with kubectl', { timeout: 600_000 }, () => {
  let server: RunningServer;
  let kubectl: Kubectl;

  const json = async <T>(args: string[]): Promise<T> => JSON.parse(await kubectl.ok([...args, '-o', 'json'])) as T;
  const podsOf = async (app: string) => (await json<{ items: Pod[] }>(['get', 'pods', '-l', `app=${app}`])).items;
  const replicaSetsOf = async (app: string) => (await json<{ items: ReplicaSet[] }>(['get', 'rs', '-l', `app=${app}`])).items;
  const isReady = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
  const live = (pods: Pod[]) => pods.filter((pod) => !pod.metadata?.deletionTimestamp);
  /** Resolves with the pods once exactly `count` live pods of `app` are Running and Ready. */
  const readyPods = (app: string, count: number) =>
    eventually(`${count} ready pods of ${app}`, async () => {
      const pods = live(await podsOf(app));
      return pods.length === count && pods.every((pod) => pod.status?.phase === 'Running' && isReady(pod)) ? pods : undefined;
    });

  before(async () => {
    server = await startServer({
      store: 'memory',
      workloads: true,
      extraArgs: ['--runtime', 'process', '--node-name', 'e2e-node', '--node-status-update-frequency', '2s'],
    });
    kubectl = kubectlFor(server.kubeconfig);
  });

  after(async () => {
    const code = await server.stop();
    await server.cleanup();
    assert.equal(code, 0, `server should exit 0 on SIGTERM:\n${server.output().slice(-4000)}`);
  });

  it('the embedded agent registers a Ready node', async () => {
    await eventually('node e2e-node Ready', async () => {
      const out = await kubectl.ok(['get', 'node', 'e2e-node', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
      return out === 'True' ? out : undefined;
    });
  });

  it('apply a Deployment: pods Running and Ready, rollout status succeeds', async () => {
    await kubectl.ok(['apply', '-f', '-'], { input: deployment('web', { replicas: 3, image: 'k8ts.test/web:1', strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }) });
    const status = await kubectl.ok(['rollout', 'status', 'deploy/web', '--timeout=90s']);
    assert.match(status, /deployment "web" successfully rolled out/);
    const pods = await readyPods('web', 3);
    assert.ok(pods.every((pod) => pod.spec?.nodeName === 'e2e-node'));
    assert.match(await kubectl.ok(['get', 'deploy', 'web']), /web\s+3\/3\s+3\s+3/);
  });

  it('a deleted pod is replaced', async () => {
    const before = (await readyPods('web', 3)).map((pod) => pod.metadata?.name);
    await kubectl.ok(['delete', 'pod', before[0] ?? '', '--wait=false']);
    const after = await eventually('a replacement pod', async () => {
      const pods = live(await podsOf('web'));
      const names = pods.map((pod) => pod.metadata?.name);
      return pods.length === 3 && !names.includes(before[0]) && pods.every(isReady) ? names : undefined;
    });
    assert.equal(after.filter((name) => before.includes(name)).length, 2);
  });

  it('a killed container process is restarted (RESTARTS 1)', async () => {
    // A unique argument marks this container's process on the host (node -e ignores extra args).
    const marker = `kill-me-${process.pid}-${Date.now()}`;
    await kubectl.ok(['apply', '-f', '-'], {
      input: deployment('victim', { replicas: 1, image: 'k8ts.test/victim:1', command: ['node', '-e', SERVE, marker] }),
    });
    const [pod] = await readyPods('victim', 1);
    const pid = await eventually('the container process', async () => {
      const found = execFileSync('pgrep', ['-n', '-f', marker], { encoding: 'utf8' }).trim();
      return found === '' ? undefined : Number(found);
    });
    // The process exists before node has run the script: kill it only once it has said it serves,
    // so the killed attempt's log (checked with --previous below) is not empty on a slow machine.
    await eventually('the first attempt serving', async () =>
      (await kubectl.ok(['logs', pod?.metadata?.name ?? ''])).includes('serving') ? true : undefined);
    process.kill(pid, 'SIGKILL');
    const restarted = await eventually('the restarted container', async () => {
      const current = await json<Pod>(['get', 'pod', pod?.metadata?.name ?? '']);
      const status = current.status?.containerStatuses?.[0];
      return status?.restartCount === 1 && status.state?.running && isReady(current) ? status : undefined;
    });
    assert.equal(restarted.lastState?.terminated?.exitCode, 137);
    const name = pod?.metadata?.name ?? '';
    const table = await kubectl.ok(['get', 'pod', name]);
    assert.match(table, /Running\s+1 \(\d+s ago\)/);
    // Logs of the current and the killed attempt, through the API server's proxy to the agent.
    const current = await eventually('the restarted container\'s log', async () => {
      const out = await kubectl.ok(['logs', name, '--timestamps']);
      return out.includes('serving') ? out : undefined;
    });
    assert.match(current, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z serving$/m);
    assert.equal((await kubectl.ok(['logs', name, '--previous'])).trim(), 'serving');
    assert.equal((await kubectl.ok(['logs', 'deploy/victim', '--tail=1'])).trim(), 'serving');
    await kubectl.ok(['delete', 'deploy', 'victim']);
  });

  it('a failing readiness probe makes the pod not Ready without restarting it', async () => {
    const flag = join(tmpdir(), `k8ts-ready-${process.pid}-${Date.now()}`);
    const probe = { exec: { command: ['cat', flag] }, periodSeconds: 1, failureThreshold: 1 };
    await kubectl.ok(['apply', '-f', '-'], {
      input: deployment('gated', { replicas: 1, image: 'k8ts.test/gated:1', containerExtra: { readinessProbe: probe } }),
    });
    const notReady = await eventually('a Running pod that is not Ready', async () => {
      const [pod] = live(await podsOf('gated'));
      return pod?.status?.phase === 'Running' && !isReady(pod) ? pod : undefined;
    });
    writeFileSync(flag, 'ok');
    await readyPods('gated', 1);
    rmSync(flag);
    const name = notReady.metadata?.name ?? '';
    const again = await eventually('the pod not Ready again', async () => {
      const pod = await json<Pod>(['get', 'pod', name]);
      return isReady(pod) ? undefined : pod;
    });
    assert.equal(again.status?.containerStatuses?.[0]?.restartCount, 0, 'readiness never restarts');
    assert.match(await kubectl.ok(['get', 'pod', name]), /0\/1\s+Running\s+0/);
    await kubectl.ok(['delete', 'deploy', 'gated']);
  });

  it('a failing liveness probe restarts the container', async () => {
    const flag = join(tmpdir(), `k8ts-alive-${process.pid}-${Date.now()}`);
    writeFileSync(flag, 'ok');
    const probe = { exec: { command: ['cat', flag] }, periodSeconds: 1, failureThreshold: 1 };
    await kubectl.ok(['apply', '-f', '-'], {
      input: deployment('doomed', { replicas: 1, image: 'k8ts.test/doomed:1', containerExtra: { livenessProbe: probe } }),
    });
    const [pod] = await readyPods('doomed', 1);
    const name = pod?.metadata?.name ?? '';
    rmSync(flag);
    await eventually('a restart after the liveness failure', async () => {
      const current = await json<Pod>(['get', 'pod', name]);
      return (current.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 ? current : undefined;
    });
    const described = await kubectl.ok(['describe', 'pod', name]);
    assert.match(described, /Liveness probe failed/);
    assert.match(described, /Container web failed liveness probe, will be restarted/);
    await kubectl.ok(['delete', 'deploy', 'doomed']);
  });

  it('kubectl scale up and down', async () => {
    await kubectl.ok(['scale', 'deploy/web', '--replicas=5']);
    await readyPods('web', 5);
    await kubectl.ok(['scale', 'deploy/web', '--replicas=2']);
    await readyPods('web', 2);
    await kubectl.ok(['scale', 'deploy/web', '--replicas=3']);
    await readyPods('web', 3);
  });

  it('kubectl set image rolls out within maxSurge=1 / maxUnavailable=0', async () => {
    const recorder = await RolloutRecorder.start({ kubeconfig: server.kubeconfig, namespace: 'default', labelSelector: 'app=web' });
    try {
      await kubectl.ok(['set', 'image', 'deploy/web', 'web=k8ts.test/web:2']);
      await kubectl.ok(['rollout', 'status', 'deploy/web', '--timeout=120s']);
      const pods = await readyPods('web', 3);
      assert.ok(pods.every((pod) => pod.spec?.containers[0]?.image === 'k8ts.test/web:2'));
    } finally {
      await recorder.stop();
    }
    assert.ok(recorder.events > 0, 'the recorder saw the rollout');
    assert.ok(recorder.maxDesiredReplicas <= 4, `ReplicaSets asked for ${recorder.maxDesiredReplicas} pods; maxSurge allows 3 + 1`);
    assert.ok(recorder.minReadyPods >= 3, `only ${recorder.minReadyPods} ready pods at some point; maxUnavailable 0 requires 3`);
  });

  it('rollout history lists both revisions; undo reuses the old ReplicaSet', async () => {
    const history = await kubectl.ok(['rollout', 'history', 'deploy/web']);
    assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    const before = await replicaSetsOf('web');
    const first = before.find((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] === '1');
    assert.ok(first, 'revision 1 ReplicaSet exists');
    await kubectl.ok(['rollout', 'undo', 'deploy/web']);
    await kubectl.ok(['rollout', 'status', 'deploy/web', '--timeout=120s']);
    const after = await replicaSetsOf('web');
    assert.deepEqual(after.map((rs) => rs.metadata?.name).sort(), before.map((rs) => rs.metadata?.name).sort(), 'no new ReplicaSet');
    const reused = after.find((rs) => rs.metadata?.name === first.metadata?.name);
    assert.equal(reused?.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(reused.spec?.replicas, 3);
    assert.ok((await readyPods('web', 3)).every((pod) => pod.spec?.containers[0]?.image === 'k8ts.test/web:1'));
  });

  it('rollout pause holds template changes until resume; restart rolls out a new ReplicaSet', async () => {
    await kubectl.ok(['rollout', 'pause', 'deploy/web']);
    await kubectl.ok(['set', 'image', 'deploy/web', 'web=k8ts.test/web:3']);
    await eventually('the paused change observed', async () => {
      const d = await json<{ metadata: { generation: number }; status: { observedGeneration?: number } }>(['get', 'deploy', 'web']);
      return d.status.observedGeneration === d.metadata.generation ? true : undefined;
    });
    assert.equal((await replicaSetsOf('web')).length, 2, 'a paused Deployment creates no ReplicaSet');
    await kubectl.ok(['rollout', 'resume', 'deploy/web']);
    await kubectl.ok(['rollout', 'status', 'deploy/web', '--timeout=120s']);
    assert.equal((await replicaSetsOf('web')).length, 3);

    await kubectl.ok(['rollout', 'restart', 'deploy/web']);
    await kubectl.ok(['rollout', 'status', 'deploy/web', '--timeout=120s']);
    assert.equal((await replicaSetsOf('web')).length, 4);
    const pods = await readyPods('web', 3);
    assert.ok(pods.every((pod) => pod.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'] !== undefined));
  });

  it('a Recreate Deployment rolls out', async () => {
    await kubectl.ok(['apply', '-f', '-'], { input: deployment('batch', { replicas: 2, image: 'k8ts.test/batch:1', strategy: { type: 'Recreate' } }) });
    await kubectl.ok(['rollout', 'status', 'deploy/batch', '--timeout=90s']);
    await kubectl.ok(['set', 'image', 'deploy/batch', 'web=k8ts.test/batch:2']);
    await kubectl.ok(['rollout', 'status', 'deploy/batch', '--timeout=90s']);
    assert.ok((await readyPods('batch', 2)).every((pod) => pod.spec?.containers[0]?.image === 'k8ts.test/batch:2'));
  });

  it('a crash-looping update exceeds its progress deadline and rollout status fails with that reason', async () => {
    await kubectl.ok(['apply', '-f', '-'], {
      // A crashing container is Ready for the moment it runs; minReadySeconds keeps that moment
      // from counting as available. (The crash is `sh -c 'exit 1'`, not node: on a loaded machine
      // node took longer than minReadySeconds to start and exit, and the bad rollout completed.)
      input: deployment('crashy', { replicas: 1, image: 'k8ts.test/crashy:1', extra: { progressDeadlineSeconds: 10, minReadySeconds: 5 } }),
    });
    await kubectl.ok(['rollout', 'status', 'deploy/crashy', '--timeout=90s']);
    await kubectl.ok(['patch', 'deploy/crashy', '--type=json', '-p',
      JSON.stringify([{ op: 'replace', path: '/spec/template/spec/containers/0/command', value: ['sh', '-c', 'exit 1'] }])]);
    const result = await kubectl(['rollout', 'status', 'deploy/crashy', '--timeout=90s']);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /deployment "crashy" exceeded its progress deadline/);
    const reason = await kubectl.ok(['get', 'deploy', 'crashy', '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}']);
    assert.equal(reason, 'ProgressDeadlineExceeded');
  });

  it('an unschedulable pod says why', async () => {
    await kubectl.ok(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nowhere' },
        spec: { nodeSelector: { disktype: 'none' }, containers: [{ name: 'c', image: 'k8ts.test/none:1', command: ['node', '-e', SERVE] }] },
      }),
    });
    const described = await eventually('FailedScheduling', async () => {
      const out = await kubectl.ok(['describe', 'pod', 'nowhere']);
      return out.includes('FailedScheduling') ? out : undefined;
    });
    assert.match(described, /0\/1 nodes are available: 1 node\(s\) didn't match Pod's node affinity\/selector\./);
    assert.match(await kubectl.ok(['get', 'pod', 'nowhere']), /nowhere\s+0\/1\s+Pending/);
    await kubectl.ok(['delete', 'pod', 'nowhere']);
  });

  it('deleting a Deployment removes its ReplicaSets and pods', async () => {
    for (const app of ['web', 'batch', 'crashy']) await kubectl.ok(['delete', 'deploy', app]);
    for (const app of ['web', 'batch', 'crashy']) {
      await eventually(`everything of ${app} gone`, async () => {
        const [pods, sets] = await Promise.all([podsOf(app), replicaSetsOf(app)]);
        return pods.length === 0 && sets.length === 0 ? true : undefined;
      });
    }
  });
});

// HorizontalPodAutoscaler end to end: the real kubectl against `k8ts server` with the process
// runtime. A Deployment whose container spins the CPU far above its 100m request is scaled up by
// `kubectl autoscale`; once its pods go idle, an HPA whose scale-down window is 0 scales it back.
// The controller reads usage from the node agent, as the metrics API does, every 15 s.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2.js';
import { eventually } from '../helpers/eventually.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';

const SPIN = 'while :; do :; done';
const IDLE = 'sleep 3600';

function deployment(command: string): string {
  return JSON.stringify({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'burn' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'burn' } },
      template: {
        metadata: { labels: { app: 'burn' } },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [{ name: 'c', image: 'busybox', command: ['busybox', 'sh', '-c', command], resources: { requests: { cpu: '100m' } } }],
        },
      },
    },
  });
}

describe('horizontal pod autoscaling with kubectl', { timeout: 400_000 }, () => {
  let server: RunningServer;
  let kubectl: Kubectl;

  const apply = (manifest: string) => kubectl.ok(['apply', '-f', '-'], { input: manifest });
  const json = async <T>(args: string[]): Promise<T> => JSON.parse(await kubectl.ok([...args, '-o', 'json'])) as T;
  const wantedReplicas = async () => (await json<Deployment>(['get', 'deploy', 'burn'])).spec?.replicas;

  before(async () => {
    server = await startServer({ store: 'memory', workloads: true, extraArgs: ['--runtime', 'process', '--node-name', 'hpa-node'] });
    kubectl = kubectlFor(server.kubeconfig);
  });

  after(async () => {
    await kubectl.ok(['delete', 'deploy', 'burn', '--ignore-not-found']).catch(() => undefined);
    const code = await server.stop();
    await server.cleanup();
    assert.equal(code, 0, `server should exit 0 on SIGTERM:\n${server.output().slice(-4000)}`);
  });

  it('kubectl autoscale scales a CPU-bound Deployment up to maxReplicas', async () => {
    await apply(deployment(SPIN));
    await kubectl.ok(['rollout', 'status', 'deploy/burn', '--timeout=90s']);
    await kubectl.ok(['autoscale', 'deploy', 'burn', '--min=1', '--max=2', '--cpu-percent=50']);
    await eventually('burn scaled to 2', async () => ((await wantedReplicas()) === 2 ? true : undefined), 120_000);
    const hpa = await json<HorizontalPodAutoscaler>(['get', 'hpa', 'burn']);
    const cpu = hpa.status?.currentMetrics?.[0]?.resource;
    assert.equal(cpu?.name, 'cpu');
    assert.ok((cpu?.current.averageUtilization ?? 0) > 50, `utilization above target: ${JSON.stringify(hpa.status)}`);
    assert.equal(hpa.status?.desiredReplicas, 2);
    const limited = hpa.status?.conditions?.find((c) => c.type === 'ScalingLimited');
    assert.equal(limited?.reason, 'TooManyReplicas', JSON.stringify(hpa.status?.conditions));
    const events = await kubectl.ok(['get', 'events', '--field-selector', 'involvedObject.name=burn,reason=SuccessfulRescale', '-o', 'jsonpath={.items[*].message}']);
    assert.match(events, /New size: 2; reason: cpu resource utilization \(percentage of request\) above target/);
    assert.match(await kubectl.ok(['get', 'hpa', 'burn']), /\nburn\s+Deployment\/burn\s+cpu: \d+%\/50%\s+1\s+2\s+[12]\s+/);
  });

  it('idle pods are scaled back down once the scale-down window (here 0 s) allows', async () => {
    await apply(JSON.stringify({
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'burn' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'burn' },
        minReplicas: 1, maxReplicas: 2,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
        behavior: { scaleDown: { stabilizationWindowSeconds: 0 } },
      },
    }));
    // Only the command changes (a manifest would also carry `replicas`, which is the HPA's now).
    await kubectl.ok(['patch', 'deploy', 'burn', '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/template/spec/containers/0/command/3', value: IDLE }])]);
    await eventually('burn scaled back to 1', async () => ((await wantedReplicas()) === 1 ? true : undefined), 180_000);
    const hpa = await json<HorizontalPodAutoscaler>(['get', 'hpa', 'burn']);
    assert.ok((hpa.status?.currentMetrics?.[0]?.resource?.current.averageUtilization ?? 100) < 50, JSON.stringify(hpa.status));
  });
});

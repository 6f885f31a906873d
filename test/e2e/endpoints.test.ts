// Endpoints and EndpointSlices end to end: the real kubectl against `k8ts server` (process
// runtime). A Deployment of two pods, each an HTTP server on its named port `http` (8080) whose
// readiness is an httpGet probe on itself; the server answers 503 while a per-pod marker file
// exists, so the test can make exactly one pod unready. A Service targets the port by name.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Endpoints, Pod } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';
import { eventually } from '../helpers/eventually.js';

const APP = 'ep-web';

function manifests(markerDir: string): string {
  const serve = [
    "const fs=require('fs');const h=process.env.HOSTNAME;",
    `require('http').createServer((q,s)=>{if(fs.existsSync(${JSON.stringify(markerDir)}+'/unready-'+h))s.statusCode=503;s.end(h)})`,
    ".listen(8080,()=>console.log('serving'))",
  ].join('');
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: APP },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: APP } },
      template: {
        metadata: { labels: { app: APP } },
        spec: {
          terminationGracePeriodSeconds: 2,
          containers: [{
            name: 'web',
            image: 'k8ts.test/ep-web:1',
            command: ['node', '-e', serve],
            ports: [{ name: 'http', containerPort: 8080 }],
            // timeoutSeconds 5: only the marker's 503 may make a pod unready, not a slow answer on a loaded machine.
            readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 1, failureThreshold: 1, timeoutSeconds: 5 },
          }],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: APP, labels: { team: 'e2e' } },
    spec: { selector: { app: APP }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] },
  };
  return [deployment, service].map((m) => JSON.stringify(m)).join('\n');
}

describe('endpoints and endpoint slices with kubectl', { timeout: 300_000 }, () => {
  let server: RunningServer;
  let kubectl: Kubectl;
  const markerDir = mkdtempSync(join(tmpdir(), 'k8ts-ep-'));

  const json = async <T>(args: string[]): Promise<T> => JSON.parse(await kubectl.ok([...args, '-o', 'json'])) as T;
  const isReady = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
  const slices = async () => (await json<{ items: EndpointSlice[] }>(['get', 'endpointslices', '-l', `kubernetes.io/service-name=${APP}`])).items;
  let pods: Pod[] = [];

  before(async () => {
    server = await startServer({ store: 'memory', workloads: true, extraArgs: ['--node-name', 'ep-node', '--node-status-update-frequency', '2s'] });
    kubectl = kubectlFor(server.kubeconfig);
  });

  after(async () => {
    await kubectl(['delete', 'deploy', APP, '--ignore-not-found']);
    const code = await server.stop();
    await server.cleanup();
    rmSync(markerDir, { recursive: true, force: true });
    assert.equal(code, 0, `server should exit 0 on SIGTERM:\n${server.output().slice(-4000)}`);
  });

  it('a Service over two ready pods: Endpoints and an EndpointSlice list both pod IPs on the named port', async () => {
    await kubectl.ok(['apply', '-f', '-'], { input: manifests(markerDir) });
    pods = await eventually('2 ready pods', async () => {
      const items = (await json<{ items: Pod[] }>(['get', 'pods', '-l', `app=${APP}`])).items;
      return items.length === 2 && items.every((p) => isReady(p) && p.status?.podIP) ? items : undefined;
    });
    const ips = pods.map((p) => p.status?.podIP ?? '').sort();
    assert.notEqual(ips[0], ips[1], 'each pod has its own IP');
    // Who wrote what, under upstream's names: the ReplicaSet controller made the pod, the node agent its status.
    const tracked = await json<Pod>(['get', 'pod', pods[0]?.metadata?.name ?? '', '--show-managed-fields']);
    assert.deepEqual(tracked.metadata?.managedFields?.map((f) => `${f.manager}${f.subresource ? `/${f.subresource}` : ''}`).sort(),
      ['kube-controller-manager', 'kubelet/status']);

    const endpoints = await eventually('Endpoints with both pods ready', async () => {
      const ep = await json<Endpoints>(['get', 'endpoints', APP]);
      const ready = (ep.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort();
      return ready.join() === ips.join() ? ep : undefined;
    });
    assert.deepEqual(endpoints.subsets?.[0]?.ports, [{ name: 'web', port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(endpoints.metadata?.labels, { team: 'e2e' });
    assert.ok(endpoints.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']);
    const table = await kubectl.ok(['get', 'endpoints', APP]);
    assert.match(table, new RegExp(`${APP}\\s+${ips.map((ip) => `${ip.replaceAll('.', '\\.')}:8080`).join(',')}\\s`));

    const [slice, ...rest] = await eventually('an EndpointSlice with both pods ready', async () => {
      const found = await slices();
      const ready = found.flatMap((s) => s.endpoints.filter((e) => e.conditions?.ready === true).map((e) => e.addresses[0])).sort();
      return ready.join() === ips.join() ? found : undefined;
    });
    assert.equal(rest.length, 0);
    assert.equal(slice?.addressType, 'IPv4');
    assert.match(slice?.metadata?.name ?? '', new RegExp(`^${APP}-[a-z0-9]{5}$`));
    assert.equal(slice?.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.equal(slice?.metadata?.ownerReferences?.[0]?.kind, 'Service');
    assert.deepEqual(slice?.ports, [{ name: 'web', port: 8080, protocol: 'TCP' }]);
    assert.ok(slice?.endpoints.every((e) => e.nodeName === 'ep-node' && e.targetRef?.kind === 'Pod'));
    assert.match(await kubectl.ok(['get', 'endpointslices', '-l', `kubernetes.io/service-name=${APP}`]), /IPv4\s+8080\s+\S+/);
  });

  it('pods/proxy and services/proxy reach the pods (kubectl get --raw, as through kubectl proxy)', async () => {
    const names = pods.map((p) => p.metadata?.name ?? '').sort();
    const first = names[0] ?? '';
    // The pod's own port, or its first declared port when none is given; each pod answers its name.
    assert.equal(await kubectl.ok(['get', '--raw', `/api/v1/namespaces/default/pods/${first}:8080/proxy/`]), first);
    assert.equal(await kubectl.ok(['get', '--raw', `/api/v1/namespaces/default/pods/http:${first}:8080/proxy/any/path?x=1`]), first);
    assert.equal(await kubectl.ok(['get', '--raw', `/api/v1/namespaces/default/pods/${first}/proxy/`]), first);
    // A service port by name or number goes to a random ready endpoint: both pods answer in time.
    const seen = new Set<string>();
    for (let i = 0; i < 40 && seen.size < 2; i++) {
      seen.add(await kubectl.ok(['get', '--raw', `/api/v1/namespaces/default/services/${APP}:${i % 2 === 0 ? 'web' : '80'}/proxy/`]));
    }
    assert.deepEqual([...seen].sort(), names);
    const noPort = await kubectl(['get', '--raw', `/api/v1/namespaces/default/services/${APP}:81/proxy/`]);
    assert.equal(noPort.code, 1);
    assert.match(noPort.stderr, /ServiceUnavailable.*no service port 81 found for service "ep-web"/);
    const noService = await kubectl(['get', '--raw', '/api/v1/namespaces/default/services/nope:80/proxy/']);
    assert.match(noService.stderr, /NotFound/);
  });

  it('a pod failing its readiness probe moves to notReadyAddresses and ready=false', async () => {
    const [victim, other] = pods;
    writeFileSync(join(markerDir, `unready-${victim?.metadata?.name ?? ''}`), '');
    const ep = await eventually('the victim in notReadyAddresses', async () => {
      const current = await json<Endpoints>(['get', 'endpoints', APP]);
      const notReady = (current.subsets ?? []).flatMap((s) => (s.notReadyAddresses ?? []).map((a) => a.ip));
      return notReady.includes(victim?.status?.podIP ?? '-') ? current : undefined;
    });
    assert.deepEqual((ep.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)), [other?.status?.podIP]);
    const endpoint = await eventually('the victim not ready in the slice', async () => {
      const found = (await slices()).flatMap((s) => s.endpoints).find((e) => e.targetRef?.name === victim?.metadata?.name);
      return found?.conditions?.ready === false ? found : undefined;
    });
    assert.deepEqual(endpoint.conditions, { ready: false, serving: false, terminating: false });
  });

  it('deleting the Service deletes its Endpoints and (through the garbage collector) its slices', async () => {
    await kubectl.ok(['delete', 'service', APP]);
    await eventually('Endpoints gone', async () => {
      const result = await kubectl(['get', 'endpoints', APP]);
      return result.code !== 0 && /NotFound/.test(result.stderr) ? true : undefined;
    });
    await eventually('slices gone', async () => ((await slices()).length === 0 ? true : undefined));
  });
});

// The service proxy and the built-in LoadBalancer end to end (root only): the real kubectl against
// `k8ts server` (process runtime, pods in their own network namespaces on the k8ts0 bridge). A
// Deployment of two HTTP servers answering their pod name; ClusterIP, NodePort, LoadBalancer and
// ClientIP-affinity Services over them. The server runs with --address 127.0.0.1, so the node's
// InternalIP, and with it the LoadBalancer's ingress IP, is 127.0.0.1. Its own service CIDR keeps
// its cluster IPs apart from other test servers running at the same time.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Pod, Service } from 'kubernetes-types/core/v1.js';
import { chainTagFor } from '../../src/proxy/service-proxy/chain-names.js';
import { freePort } from '../helpers/free-port.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';
import { eventually } from '../helpers/eventually.js';

const APP = 'proxy-web';
const NODE = 'proxy-e2e-node';
const root = process.getuid?.() === 0;
const run = promisify(execFile);

function manifests(lbPort: number): string {
  const serve = "require('http').createServer((q,s)=>s.end(process.env.HOSTNAME)).listen(8080,()=>console.log('serving'))";
  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: APP },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: APP } },
      template: {
        metadata: { labels: { app: APP } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{
            name: 'web', image: 'k8ts.test/proxy-web:1', command: ['node', '-e', serve],
            ports: [{ name: 'http', containerPort: 8080 }],
            readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 1 },
          }],
        },
      },
    },
  };
  const service = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: 'v1', kind: 'Service', metadata: { name },
    spec: { selector: { app: APP }, ports: [{ name: 'web', port: 80, targetPort: 'http' }], ...spec },
  });
  return [
    deployment,
    service(APP, {}),
    service(`${APP}-np`, { type: 'NodePort' }),
    service(`${APP}-lb`, { type: 'LoadBalancer', ports: [{ name: 'web', port: lbPort, targetPort: 'http' }] }),
    service(`${APP}-sticky`, { sessionAffinity: 'ClientIP' }),
  ].map((m) => JSON.stringify(m)).join('\n');
}

/** GET from the host: the body, or the error code (ECONNREFUSED, ...). */
function get(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: '/', timeout: 3_000, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    req.end();
  });
}

async function collect(n: number, request: () => Promise<string>): Promise<string[]> {
  const answers: string[] = [];
  for (let i = 0; i < n; i++) answers.push(await request());
  return answers;
}

describe('service proxy and LoadBalancer with kubectl', { skip: root ? false : 'needs root (pod network, iptables)', timeout: 300_000 }, () => {
  let server: RunningServer;
  let kubectl: Kubectl;
  let lbPort: number;
  let healthzPort: number;
  let podNames: string[] = [];
  const json = async <T>(args: string[]): Promise<T> => JSON.parse(await kubectl.ok([...args, '-o', 'json'])) as T;
  const svc = (name: string) => json<Service>(['get', 'service', name]);
  const isReady = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
  const ourChains = async () => (await run('iptables-save')).stdout.split('\n').filter((l) => l.includes(`K8TS-${chainTagFor(NODE)}-`));

  before(async () => {
    lbPort = await freePort();
    // Not kube-proxy's 0.0.0.0:10256: other suites with a proxy may run at the same time.
    healthzPort = await freePort();
    server = await startServer({
      store: 'memory', workloads: true,
      extraArgs: [
        '--node-name', NODE, '--address', '127.0.0.1', '--service-cluster-ip-range', '10.47.0.0/16', '--proxy-mode', 'iptables',
        '--proxy-healthz-address', `127.0.0.1:${healthzPort}`,
      ],
    });
    kubectl = kubectlFor(server.kubeconfig);
    await kubectl.ok(['apply', '-f', '-'], { input: manifests(lbPort) });
    const pods = await eventually('2 ready pods', async () => {
      const items = (await json<{ items: Pod[] }>(['get', 'pods', '-l', `app=${APP}`])).items;
      return items.length === 2 && items.every((p) => isReady(p) && p.status?.podIP) ? items : undefined;
    });
    podNames = pods.map((p) => p.metadata?.name ?? '').sort();
  });

  after(async () => {
    await server?.stop();
    await server?.cleanup();
  });

  it('ClusterIP from the host reaches both pods', async () => {
    const ip = (await svc(APP)).spec?.clusterIP ?? '';
    assert.match(ip, /^10\.47\./);
    const seen = await eventually('both pods behind the cluster IP', async () => {
      const answers = new Set(await collect(20, () => get(ip, 80)));
      return podNames.every((name) => answers.has(name)) ? answers : undefined;
    });
    assert.deepEqual([...seen].sort(), podNames);
  });

  it('ClusterIP from inside a pod (kubectl exec, wget), including the pod reaching itself', async () => {
    const ip = (await svc(APP)).spec?.clusterIP ?? '';
    const answers = new Set<string>();
    for (let i = 0; i < 16; i++) answers.add((await kubectl.ok(['exec', podNames[0] ?? '', '--', 'wget', '-qO-', '-T', '3', `http://${ip}/`])).trim());
    assert.deepEqual([...answers].sort(), podNames, 'both pods, one of them the caller itself (hairpin)');
  });

  it('by name from inside a pod: the cluster DNS gives the cluster IP, the rules balance it', async () => {
    const answers = new Set<string>();
    for (let i = 0; i < 16; i++) answers.add((await kubectl.ok(['exec', podNames[1] ?? '', '--', 'wget', '-qO-', '-T', '3', `http://${APP}/`])).trim());
    assert.deepEqual([...answers].sort(), podNames);
  });

  it('NodePort reachable at 127.0.0.1:nodePort', async () => {
    const nodePort = (await svc(`${APP}-np`)).spec?.ports?.[0]?.nodePort ?? 0;
    assert.ok(nodePort >= 30000);
    const answers = await eventually('the node port', async () => {
      const got = await collect(4, () => get('127.0.0.1', nodePort));
      return got.every((a) => podNames.includes(a)) ? got : undefined;
    });
    assert.equal(answers.length, 4);
  });

  it('LoadBalancer gets the node address as ingress and is reachable on it at the service port', async () => {
    const ingress = await eventually('an ingress IP', async () => (await svc(`${APP}-lb`)).status?.loadBalancer?.ingress);
    assert.deepEqual(ingress.map((i) => i.ip), ['127.0.0.1']);
    assert.match(await kubectl.ok(['get', 'service', `${APP}-lb`]), new RegExp(`LoadBalancer\\s+\\S+\\s+127\\.0\\.0\\.1\\s+${lbPort}:`));
    const answer = await eventually('the LB port', async () => {
      const got = await get('127.0.0.1', lbPort);
      return podNames.includes(got) ? got : undefined;
    });
    assert.ok(podNames.includes(answer));
  });

  it('the proxy\'s healthz server answers /healthz like kube-proxy', async () => {
    const response = await eventually('the proxy healthz', () => fetch(`http://127.0.0.1:${healthzPort}/healthz`, { signal: AbortSignal.timeout(3_000) }).catch(() => undefined));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    const body = await response.json() as { lastUpdated: string; currentTime: string; nodeEligible: boolean };
    assert.equal(body.nodeEligible, true);
    assert.match(body.currentTime, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC$/);
    assert.equal(body.lastUpdated, body.currentTime, 'healthy: lastUpdated is now, as kube-proxy answers');
  });

  it('sessionAffinity ClientIP pins the client to one pod', async () => {
    const ip = (await svc(`${APP}-sticky`)).spec?.clusterIP ?? '';
    const answers = await eventually('the sticky service', async () => {
      const got = await collect(20, () => get(ip, 80));
      return got.every((a) => podNames.includes(a)) ? got : undefined;
    });
    assert.equal(new Set(answers).size, 1, answers.join());
  });

  it('traffic policy Local: the LB serves its healthCheckNodePort and cluster IP traffic stays on the node', async () => {
    await kubectl.ok(['patch', 'service', `${APP}-lb`, '-p', '{"spec":{"externalTrafficPolicy":"Local"}}']);
    const healthPort = (await svc(`${APP}-lb`)).spec?.healthCheckNodePort ?? 0;
    assert.ok(healthPort >= 30000 && healthPort <= 32767, `healthCheckNodePort ${healthPort}`);
    // kube-proxy's answer: 200 while this node has ready endpoints of the service, with their count.
    const health = await eventually('the health check node port', async () => {
      const response = await fetch(`http://127.0.0.1:${healthPort}/healthz`, { signal: AbortSignal.timeout(3_000) }).catch(() => undefined);
      const body = response?.status === 200 ? (await response.json()) as { service?: unknown; localEndpoints?: number; serviceProxyHealthy?: boolean } : undefined;
      return body?.localEndpoints === 2 ? body : undefined;
    });
    assert.deepEqual(health.service, { namespace: 'default', name: `${APP}-lb` });
    assert.equal(health.serviceProxyHealthy, true);
    // Traffic from the node itself may still go to any endpoint (kube-proxy's short-circuit).
    assert.ok(podNames.includes(await eventually('the LB port', async () => {
      const got = await get('127.0.0.1', lbPort);
      return podNames.includes(got) ? got : undefined;
    })));
    // Both pods run on this node (EndpointSlice nodeName), so a Local cluster IP still reaches them.
    await kubectl.ok(['patch', 'service', APP, '-p', '{"spec":{"internalTrafficPolicy":"Local"}}']);
    const ip = (await svc(APP)).spec?.clusterIP ?? '';
    const answers = await eventually('both pods through the Local cluster IP', async () => {
      const got = await collect(20, () => get(ip, 80));
      return new Set(got).size === 2 && got.every((a) => podNames.includes(a)) ? got : undefined;
    });
    assert.equal(new Set(answers).size, 2);
    await kubectl.ok(['patch', 'service', APP, '-p', '{"spec":{"internalTrafficPolicy":"Cluster"}}']);
  });

  it('a service whose pods are gone is refused at once', async () => {
    const ip = (await svc(APP)).spec?.clusterIP ?? '';
    await kubectl.ok(['scale', 'deployment', APP, '--replicas', '0']);
    const answer = await eventually('a refused connection', async () => {
      const got = await get(ip, 80);
      return got === 'ECONNREFUSED' ? got : undefined;
    });
    assert.equal(answer, 'ECONNREFUSED');
  });

  it('after the server stops, none of its K8TS chains remains', async () => {
    assert.ok((await ourChains()).length > 0, 'the proxy had programmed rules');
    const code = await server.stop();
    assert.equal(code, 0, server.output().slice(-4000));
    assert.deepEqual(await ourChains(), []);
  });
});

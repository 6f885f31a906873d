// The built-in Gateway API gateway end to end: real kubectl against `k8ts server` (process runtime,
// pods in their own network namespaces) with the gateway listening on 127.0.0.1. Pods are
// `node -e` HTTP servers answering `<version> <pod name>`; a pod answers 503 (and fails its
// readiness probe) while a marker file for it exists. Covered: a 90/10 weighted split over 20,000
// requests, header and cookie matches, redirects and header modification, sticky cohorts while
// the weights grow, an unready pod dropping out, zero 5xx across a rolling update, an HTTP Upgrade
// (protocol switch) through a route, and the per-backend metrics at the admin /metrics and /stats.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { freePort } from '../helpers/free-port.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';
import { GatewayClient, SteadyLoad, who } from './gateway-traffic.js';
import { eventually } from '../helpers/eventually.js';

function serveScript(markerDir: string): string {
  return [
    "const fs=require('fs');const h=process.env.HOSTNAME;const v=process.env.VERSION;let closing=false;",
    'const srv=require(\'http\').createServer((q,s)=>{',
    `if(fs.existsSync(${JSON.stringify(markerDir)}+'/unready-'+h))s.statusCode=503;`,
    "if(closing)s.setHeader('connection','close');",
    "s.setHeader('x-seen-added',String(q.headers['x-added']));s.setHeader('x-seen-removed',String(q.headers['x-remove-me']));",
    "s.end(v+' '+h)});",
    // A protocol switch to a plain echo protocol: greets with who answered (and what the route's
    // request filter added), then returns every byte until the gateway closes its side.
    "srv.on('upgrade',(q,s)=>{s.write('HTTP/1.1 101 Switching Protocols\\r\\nConnection: Upgrade\\r\\nUpgrade: echo\\r\\n\\r\\n'+v+' '+h+' '+q.headers['x-added']+'\\n');s.pipe(s)});",
    // Upstream keep-alive longer than the gateway's pool idle time, as behind any load balancer.
    'srv.keepAliveTimeout=65000;srv.listen(8080);',
    // Graceful stop: keep serving while the endpoint change reaches the gateway.
    "process.on('SIGTERM',()=>{closing=true;setTimeout(()=>process.exit(0),3000)});",
  ].join('');
}

function deployment(name: string, version: string, replicas: number, markerDir: string): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 5,
          containers: [{
            name: 'web',
            image: 'k8ts.test/gw-web:1',
            command: ['node', '-e', serveScript(markerDir)],
            env: [{ name: 'VERSION', value: version }],
            ports: [{ name: 'http', containerPort: 8080 }],
            // timeoutSeconds 5, not the default 1: one answer slowed by a loaded machine must not take
            // web-v2's only pod out (its share then answers 503); a 503 from the pod still fails at once.
            readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 1, failureThreshold: 1, timeoutSeconds: 5 },
          }],
        },
      },
    },
  };
}

function service(name: string): object {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] } };
}

const backend = (name: string, weight?: number): object => ({ name, port: 80, ...(weight !== undefined ? { weight } : {}) });

function manifests(listenerPort: number, markerDir: string): string {
  const gatewayClass = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'e2e-k8ts' }, spec: { controllerName: 'k8ts.io/gateway-controller' } };
  const gateway = {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw' },
    spec: { gatewayClassName: 'e2e-k8ts', listeners: [{ name: 'http', port: listenerPort, protocol: 'HTTP' }] },
  };
  const route = (name: string, hostname: string, rules: object[], annotations?: Record<string, string>): object => ({
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute',
    metadata: { name, ...(annotations ? { annotations } : {}) },
    spec: { parentRefs: [{ name: 'gw' }], hostnames: [hostname], rules },
  });
  const main = route('main', 'app.test', [
    { matches: [{ headers: [{ name: 'X-Version', value: 'v2' }] }], backendRefs: [backend('web-v2')] },
    { matches: [{ headers: [{ type: 'RegularExpression', name: 'cookie', value: '(.*; )?canary=always(;.*)?' }] }], backendRefs: [backend('web-v2')] },
    {
      matches: [{ path: { type: 'PathPrefix', value: '/old' } }],
      filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/new' }, statusCode: 301 } }],
    },
    {
      matches: [{ path: { type: 'PathPrefix', value: '/hdr' } }],
      filters: [
        { type: 'RequestHeaderModifier', requestHeaderModifier: { add: [{ name: 'X-Added', value: 'yes' }], remove: ['X-Remove-Me'] } },
        { type: 'ResponseHeaderModifier', responseHeaderModifier: { set: [{ name: 'X-Gw', value: 'k8ts' }] } },
      ],
      backendRefs: [backend('web-v1')],
    },
    { backendRefs: [backend('web-v1', 90), backend('web-v2', 10)] },
  ]);
  const sticky = route('sticky', 'sticky.test', [{ backendRefs: [backend('web-v1', 90), backend('web-v2', 10)] }], { 'gateway.k8ts.io/cohort-key': 'cookie:uid' });
  const rolling = route('rolling', 'roll.test', [{ backendRefs: [backend('roll')] }]);
  return [
    gatewayClass, gateway,
    deployment('web-v1', 'v1', 2, markerDir), deployment('web-v2', 'v2', 1, markerDir), deployment('roll', 'r1', 2, markerDir),
    service('web-v1'), service('web-v2'), service('roll'),
    main, sticky, rolling,
  ].map((m) => JSON.stringify(m)).join('\n');
}

describe('the built-in gateway with kubectl', { timeout: 600_000 }, () => {
  let server: RunningServer;
  let kubectl: Kubectl;
  let client: GatewayClient;
  let listenerPort = 0;
  let adminPort = 0;
  const markerDir = mkdtempSync(join(tmpdir(), 'k8ts-gw-'));
  const json = async <T>(args: string[]): Promise<T> => JSON.parse(await kubectl.ok([...args, '-o', 'json'])) as T;
  const admin = async (path: string): Promise<{ status: number; text: string }> => {
    const res = await fetch(`http://127.0.0.1:${adminPort}${path}`);
    return { status: res.status, text: await res.text() };
  };

  before(async () => {
    listenerPort = await freePort();
    adminPort = await freePort();
    server = await startServer({
      store: 'memory',
      workloads: true,
      extraArgs: ['--node-name', 'gw-node', '--gateway-address', '127.0.0.1', '--gateway-admin-port', String(adminPort)],
    });
    kubectl = kubectlFor(server.kubeconfig);
    client = new GatewayClient(listenerPort);
  });

  after(async () => {
    client?.close();
    await kubectl?.(['delete', 'deploy', 'web-v1', 'web-v2', 'roll', '--ignore-not-found']);
    const code = await server?.stop();
    await server?.cleanup();
    rmSync(markerDir, { recursive: true, force: true });
    assert.equal(code, 0, `server should exit 0 on SIGTERM:\n${server?.output().slice(-4000)}`);
  });

  it('routes to ready pods once the Gateway, Services and HTTPRoutes are applied', async () => {
    await kubectl.ok(['apply', '-f', '-'], { input: manifests(listenerPort, markerDir) });
    await eventually('5 ready pods', async () => {
      const pods = (await json<{ items: Pod[] }>(['get', 'pods'])).items;
      const ready = pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      return ready.length >= 5 ? ready : undefined;
    }, 120_000);
    for (const [host, version] of [['app.test', 'v2'], ['roll.test', 'r1']] as const) {
      await eventually(`${host} through the gateway`, async () => {
        const r = await client.request('/', { host, headers: { 'x-version': 'v2' } });
        return r.status === 200 && who(r.body).version === version ? r : undefined;
      });
    }
    // Both web-v1 pods are in the table before the split is measured.
    await eventually('both web-v1 pods answering', async () => {
      const counts = await client.tally(100, 4, () => client.request('/hdr'), (r) => who(r.body).pod);
      return counts.size === 2 ? counts : undefined;
    });
  });

  it('splits 90/10 within 1% over 20,000 requests', async () => {
    const counts = await client.tally(20_000, 32, () => client.request('/'), (r) => (r.status === 200 ? who(r.body).version : `status ${r.status}`));
    const v2 = (counts.get('v2') ?? 0) / 20_000;
    console.log(`# 90/10 split: ${JSON.stringify(Object.fromEntries(counts))} (v2 share ${v2.toFixed(4)})`);
    assert.equal((counts.get('v1') ?? 0) + (counts.get('v2') ?? 0), 20_000, JSON.stringify(Object.fromEntries(counts)));
    assert.ok(Math.abs(v2 - 0.1) <= 0.01, `v2 share ${v2}`);
  });

  it('header and cookie matches send a class of users to v2', async () => {
    const byHeader = await client.tally(300, 8, () => client.request('/', { headers: { 'x-version': 'v2' } }), (r) => who(r.body).version);
    assert.deepEqual([...byHeader.keys()], ['v2']);
    const byCookie = await client.tally(300, 8, () => client.request('/', { headers: { cookie: 'a=1; canary=always; b=2' } }), (r) => who(r.body).version);
    assert.deepEqual([...byCookie.keys()], ['v2']);
    const other = await client.tally(300, 8, () => client.request('/', { headers: { cookie: 'canary=never', 'x-version': 'v3' } }), (r) => who(r.body).version);
    assert.ok((other.get('v1') ?? 0) > 200, JSON.stringify(Object.fromEntries(other)));
  });

  it('redirects and modifies request and response headers', async () => {
    const redirect = await client.request('/old/page?x=1');
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.location, `http://app.test:${listenerPort}/new/page?x=1`);
    const modified = await client.request('/hdr', { headers: { 'x-remove-me': 'please' } });
    assert.equal(modified.status, 200);
    assert.equal(modified.headers['x-seen-added'], 'yes');
    assert.equal(modified.headers['x-seen-removed'], 'undefined');
    assert.equal(modified.headers['x-gw'], 'k8ts');
  });

  it('passes an HTTP Upgrade through a route and joins the two connections', async () => {
    const socket = connect(listenerPort, '127.0.0.1');
    await once(socket, 'connect');
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    const closed = once(socket, 'close');
    socket.write('GET /hdr/ws HTTP/1.1\r\nhost: app.test\r\nconnection: Upgrade\r\nupgrade: echo\r\n\r\n');
    await eventually('the 101 and the greeting', () => Promise.resolve(received.includes(' yes\n') ? received : undefined), 10_000);
    assert.match(received, /^HTTP\/1\.1 101 /);
    assert.match(received, /\r\nupgrade: echo\r\n/i);
    assert.match(received, /\r\nx-gw: k8ts\r\n/i, 'the response filter applies to the 101');
    assert.match(received, /\r\n\r\nv1 web-v1-[^ ]+ yes\n$/, 'the request filter applied, web-v1 answered');
    const start = received.length;
    socket.write('ping through the tunnel');
    await eventually('the echo', () => Promise.resolve(received.length - start >= 23 ? received : undefined), 10_000);
    assert.equal(received.slice(start), 'ping through the tunnel');
    socket.end();
    await closed;
  });

  it('sticky cohorts: a user keeps the same side while the v2 weight grows 10 -> 50', async () => {
    const users = Array.from({ length: 300 }, (_, i) => `user-${i}`);
    const sideOf = async (user: string): Promise<string> => {
      const sides = new Set<string>();
      for (let i = 0; i < 3; i++) sides.add(who((await client.request('/', { host: 'sticky.test', headers: { cookie: `uid=${user}` } })).body).version);
      assert.equal(sides.size, 1, `${user} saw ${[...sides].join(' and ')}`);
      return [...sides][0] ?? '';
    };
    const before10 = new Map<string, string>();
    for (const u of users) before10.set(u, await sideOf(u));
    const onV2 = users.filter((u) => before10.get(u) === 'v2');
    console.log(`# sticky: ${onV2.length}/300 users on v2 at weight 10`);
    assert.ok(onV2.length > 0 && onV2.length < 100);

    await kubectl.ok(['patch', 'httproute', 'sticky', '--type=json', '-p', JSON.stringify([
      { op: 'replace', path: '/spec/rules/0/backendRefs/0/weight', value: 50 },
      { op: 'replace', path: '/spec/rules/0/backendRefs/1/weight', value: 50 },
    ])]);
    await eventually('the 50/50 weights in effect', async () => {
      const moved = await Promise.all(users.slice(0, 60).filter((u) => before10.get(u) === 'v1').map(sideOf));
      return moved.includes('v2') ? true : undefined;
    });
    const after50 = new Map<string, string>();
    for (const u of users) after50.set(u, await sideOf(u));
    for (const u of onV2) assert.equal(after50.get(u), 'v2', `${u} left v2 as its weight grew`);
    const nowOnV2 = users.filter((u) => after50.get(u) === 'v2').length;
    console.log(`# sticky: ${nowOnV2}/300 users on v2 at weight 50`);
    assert.ok(nowOnV2 > 100 && nowOnV2 < 200);
  });

  it('a pod failing its readiness probe stops getting traffic', async () => {
    const pods = (await json<{ items: Pod[] }>(['get', 'pods', '-l', 'app=web-v1'])).items;
    const victim = pods[0]?.metadata?.name ?? '';
    const started = Date.now();
    writeFileSync(join(markerDir, `unready-${victim}`), '');
    await eventually('no request reaching the unready pod', async () => {
      const counts = await client.tally(100, 4, () => client.request('/hdr'), (r) => `${r.status} ${who(r.body).pod}`);
      return [...counts.keys()].every((k) => k.startsWith('200 ') && !k.endsWith(victim)) ? counts : undefined;
    }, 15_000);
    console.log(`# unready pod out of rotation after ${Date.now() - started} ms (probe period 1000 ms)`);
    const later = await client.tally(500, 8, () => client.request('/hdr'), (r) => `${r.status} ${who(r.body).pod}`);
    assert.deepEqual([...later.keys()].filter((k) => k.endsWith(victim) || !k.startsWith('200 ')), []);
    rmSync(join(markerDir, `unready-${victim}`));
  });

  it('no 5xx from a steady request loop across a rolling update', async () => {
    const load = new SteadyLoad(client, '/', { host: 'roll.test', concurrency: 6 });
    await delay(1000);
    await kubectl.ok(['set', 'env', 'deployment/roll', 'VERSION=r2']);
    await kubectl.ok(['rollout', 'status', 'deployment/roll', '--timeout=180s']);
    await eventually('r2 answering', async () => ((load.versions.get('r2') ?? 0) > 50 ? true : undefined));
    await delay(1000);
    await load.stop();
    console.log(`# rolling update: ${load.total} requests, statuses ${JSON.stringify(Object.fromEntries(load.statuses))}, versions ${JSON.stringify(Object.fromEntries(load.versions))}`);
    assert.deepEqual(load.failures, []);
    assert.ok((load.versions.get('r1') ?? 0) > 0 && (load.versions.get('r2') ?? 0) > 0);
  });

  it('per-backend metrics at the admin /metrics and /stats', async () => {
    const metrics = await admin('/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.text, /^k8ts_gateway_requests_total\{route="default\/main",service="default\/web-v1",revision="[a-z0-9]+",code_class="2xx"\} \d+$/m);
    assert.match(metrics.text, /^k8ts_gateway_request_duration_seconds_bucket\{route="default\/rolling",service="default\/roll",revision="[a-z0-9]+",le="\+Inf"\} \d+$/m);

    const stats = JSON.parse((await admin('/stats?service=default/web-v2&window=600s')).text) as { requests: number; successRate: number; byClass: Record<string, number>; latencyMs: Record<string, number>; windowSeconds: number };
    assert.ok(stats.requests >= 2000, JSON.stringify(stats));
    assert.equal(stats.successRate, 1);
    assert.equal(stats.windowSeconds, 600);
    assert.ok(stats.latencyMs.p99 !== undefined && stats.latencyMs.p99 >= (stats.latencyMs.p50 ?? 0));

    // Per revision: the rolling update's two ReplicaSets are told apart by pod-template-hash.
    const rs = (await json<{ items: { metadata: { labels: Record<string, string> } }[] }>(['get', 'rs', '-l', 'app=roll'])).items;
    const hashes = rs.map((r) => r.metadata.labels['pod-template-hash'] ?? '');
    assert.equal(hashes.length, 2);
    for (const h of hashes) {
      const byRevision = JSON.parse((await admin(`/stats?service=default/roll&revision=${h}&window=600s`)).text) as { requests: number };
      assert.ok(byRevision.requests > 0, `revision ${h}: ${JSON.stringify(byRevision)}`);
    }
    assert.equal((await admin('/stats?window=60s')).status, 400);
  });
});

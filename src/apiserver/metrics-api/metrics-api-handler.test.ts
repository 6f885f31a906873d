import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Node } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import { parseApiPath } from '../http/parse-api-path.js';
import { sendError } from '../http/respond.js';
import { ApiRegistry } from '../registry/api-registry.js';
import { builtinKinds } from '../registry/kinds/index.js';
import type { AgentUsageReport } from './agent-usage-client.js';
import { MetricsApiHandler } from './metrics-api-handler.js';

const WRITE = { dryRun: false, fieldValidation: 'Ignore' } as const;
const T = '2025-06-01T00:00:10.000Z';

function usage(pods: { uid: string; name: string; cpu: number; memory: number }[], node = true): AgentUsageReport {
  return {
    ...(node ? { node: { cpuNanoCores: 250_000_000, memoryWorkingSetBytes: 1024 ** 3, timestamp: T, windowSeconds: 10 } } : {}),
    pods: pods.map((p) => ({
      namespace: 'default', name: p.name, uid: p.uid, timestamp: T, windowSeconds: 10.5,
      containers: [{ name: 'main', cpuNanoCores: p.cpu, memoryWorkingSetBytes: p.memory }],
    })),
  };
}

describe('MetricsApiHandler', () => {
  const clock = new FakeClock({ start: new Date('2025-06-01T00:00:30Z') });
  const store = new MemoryStore();
  const registry = new ApiRegistry({ store, kinds: builtinKinds, clock });
  const reports = new Map<string, AgentUsageReport | Error>();
  const asked: { node: string; token: string | undefined }[] = [];
  let server: Server;
  let base: string;
  const uids = new Map<string, string>();

  async function create(resource: string, namespace: string | undefined, body: KubeObject, status?: object): Promise<KubeObject> {
    const r = registry.lookup('', 'v1', resource)!;
    const created = (await r.create(namespace, body, WRITE)).object;
    if (!status) return created;
    return (await r.update(namespace, created.metadata?.name ?? '', { ...created, status }, { ...WRITE, subresource: 'status' })).object;
  }

  async function node(name: string, ready: boolean): Promise<void> {
    await create('nodes', undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { zone: name } } }, {
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
    });
  }

  async function pod(name: string, nodeName: string, labels: Record<string, string>, namespace = 'default'): Promise<void> {
    const created = await create('pods', namespace, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name, labels },
      spec: { nodeName, containers: [{ name: 'main', image: 'busybox' }] },
    }, { phase: 'Running' });
    uids.set(name, created.metadata?.uid ?? '');
  }

  async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${base}${path}`, { headers: { Authorization: 'Bearer caller-token', Accept: 'application/vnd.kubernetes.protobuf, */*' } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  before(async () => {
    for (const name of ['default', 'empty']) await create('namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    await node('n1', true);
    await node('n2', true);
    await node('n3', false);
    await pod('busy', 'n1', { app: 'busy' });
    await pod('idle', 'n2', { app: 'idle' });
    await pod('young', 'n1', { app: 'busy' });
    await pod('stranded', 'n3', { app: 'idle' });
    reports.set('n1', usage([{ uid: uids.get('busy') ?? '', name: 'busy', cpu: 987_654_321, memory: 2 * 1024 * 1024 }]));
    reports.set('n2', usage([{ uid: uids.get('idle') ?? '', name: 'idle', cpu: 1_000_000, memory: 10240 }], false));
    reports.set('n3', usage([{ uid: uids.get('stranded') ?? '', name: 'stranded', cpu: 1, memory: 1 }]));
    const handler = new MetricsApiHandler({
      registry, clock, logger: silentLogger(),
      fetchUsage: (n: Node, token) => {
        const name = n.metadata?.name ?? '';
        asked.push({ node: name, token });
        const report = reports.get(name);
        return report instanceof Error || report === undefined ? Promise.reject(report ?? new Error('no agent')) : Promise.resolve(report);
      },
    });
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const path = parseApiPath(url.pathname);
      if (path?.type !== 'resource') {
        res.statusCode = 500;
        res.end('{}');
        return;
      }
      handler.handle({ req, res, url, path, labels: { verb: 'GET', resource: '', subresource: '' } }).catch((error: unknown) => sendError(res, error));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/apis/metrics.k8s.io/v1beta1`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    registry.close();
    await store.close();
  });

  it('lists PodMetrics of a namespace from the Ready nodes of its pods, with the caller token passed on', async () => {
    asked.length = 0;
    const { status, body } = await get('/namespaces/default/pods');
    assert.equal(status, 200);
    assert.equal(body['kind'], 'PodMetricsList');
    assert.equal(body['apiVersion'], 'metrics.k8s.io/v1beta1');
    assert.deepEqual(body['items'], [
      {
        metadata: { name: 'busy', namespace: 'default', creationTimestamp: '2025-06-01T00:00:30.000Z', labels: { app: 'busy' } },
        timestamp: T, window: '10.5s', containers: [{ name: 'main', usage: { cpu: '987654321n', memory: '2Mi' } }],
      },
      {
        metadata: { name: 'idle', namespace: 'default', creationTimestamp: '2025-06-01T00:00:30.000Z', labels: { app: 'idle' } },
        timestamp: T, window: '10.5s', containers: [{ name: 'main', usage: { cpu: '1m', memory: '10Ki' } }],
      },
    ]);
    // n3 is not Ready: not asked (its pod is left out, as metrics-server does).
    assert.deepEqual(asked.map((a) => a.node).sort(), ['n1', 'n2']);
    assert.ok(asked.every((a) => a.token === 'caller-token'));
  });

  it('filters by label selector, lists all namespaces, and answers an empty list for an empty namespace', async () => {
    const selected = await get('/namespaces/default/pods?labelSelector=app%3Dbusy');
    assert.deepEqual((selected.body['items'] as { metadata: { name: string } }[]).map((i) => i.metadata.name), ['busy']);
    const all = await get('/pods');
    assert.equal((all.body['items'] as unknown[]).length, 2);
    const empty = await get('/namespaces/empty/pods');
    assert.deepEqual(empty.body['items'], []);
  });

  it('skips a node whose agent fails', async () => {
    reports.set('n2', new Error('connection refused'));
    try {
      const { status, body } = await get('/namespaces/default/pods');
      assert.equal(status, 200);
      assert.deepEqual((body['items'] as { metadata: { name: string } }[]).map((i) => i.metadata.name), ['busy']);
    } finally {
      reports.set('n2', usage([{ uid: uids.get('idle') ?? '', name: 'idle', cpu: 1_000_000, memory: 10240 }], false));
    }
  });

  it('gets one PodMetrics; a pod without usage yet or an unknown pod is NotFound', async () => {
    const one = await get('/namespaces/default/pods/busy');
    assert.equal(one.status, 200);
    assert.equal(one.body['kind'], 'PodMetrics');
    assert.deepEqual(one.body['containers'], [{ name: 'main', usage: { cpu: '987654321n', memory: '2Mi' } }]);
    const young = await get('/namespaces/default/pods/young');
    assert.equal(young.status, 404);
    assert.equal(young.body['reason'], 'NotFound');
    assert.equal(young.body['message'], 'podmetrics.metrics.k8s.io "default/young" not found');
    const missing = await get('/namespaces/default/pods/nope');
    assert.equal(missing.status, 404);
    assert.equal(missing.body['message'], 'pods "nope" not found');
  });

  it('lists and gets NodeMetrics for Ready nodes with usage; others are left out or NotFound', async () => {
    const list = await get('/nodes');
    assert.equal(list.body['kind'], 'NodeMetricsList');
    assert.deepEqual(list.body['items'], [
      { metadata: { name: 'n1', creationTimestamp: '2025-06-01T00:00:30.000Z', labels: { zone: 'n1' } }, timestamp: T, window: '10s', usage: { cpu: '250m', memory: '1Gi' } },
    ]);
    const one = await get('/nodes/n1');
    assert.equal(one.body['kind'], 'NodeMetrics');
    assert.deepEqual(one.body['usage'], { cpu: '250m', memory: '1Gi' });
    const noWindow = await get('/nodes/n2');
    assert.equal(noWindow.status, 404);
    assert.equal(noWindow.body['message'], 'nodemetrics.metrics.k8s.io "n2" not found');
    const selected = await get('/nodes?labelSelector=zone%3Dn2');
    assert.deepEqual(selected.body['items'], []);
  });

  it('serves only get and list of its two resources', async () => {
    assert.equal((await get('/namespaces/default/deployments')).status, 404);
    assert.equal((await get('/namespaces/default/nodes')).status, 404);
    assert.equal((await get('/namespaces/default/pods/busy/status')).status, 404);
    assert.equal((await get('/namespaces/default/pods?watch=true')).status, 405);
    const res = await fetch(`${base}/namespaces/default/pods/busy`, { method: 'DELETE' });
    assert.equal(res.status, 405);
  });
});

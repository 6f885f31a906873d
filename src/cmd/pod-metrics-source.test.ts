import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import { parseLabelSelector } from '../api/selectors/label-selector.js';
import type { AgentUsageReport, FetchNodeUsage } from '../apiserver/metrics-api/agent-usage-client.js';
import { FakeClientSet } from '../client/fake/fake-client-set.js';
import { NODES, PODS } from '../client/resource-types.js';
import { silentLogger } from '../lib/logger.js';
import { AgentPodMetricsSource } from './pod-metrics-source.js';

function node(name: string, ready = true): Node & KubeObject {
  return { metadata: { name }, status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } };
}

function pod(name: string, nodeName: string, app = 'web'): Pod & KubeObject {
  return { metadata: { name, namespace: 'default', labels: { app } }, spec: { nodeName, containers: [{ name: 'app', image: 'nginx' }] } };
}

function usageOf(stored: Pod & KubeObject, cpuNanoCores: number): AgentUsageReport['pods'][number] {
  return {
    namespace: 'default', name: stored.metadata?.name ?? '', uid: stored.metadata?.uid ?? '',
    timestamp: '2025-01-01T00:00:30Z', windowSeconds: 30,
    containers: [{ name: 'app', cpuNanoCores, memoryWorkingSetBytes: 1024 }],
  };
}

describe('AgentPodMetricsSource', () => {
  it('reads the selected pods\' usage from their nodes\' agents with the agent token, skipping failed and unready nodes', async () => {
    const clients = new FakeClientSet();
    clients.seed(NODES, node('n1'), node('n2'), node('n3', false));
    const [a, , other, , d] = clients.seed(PODS, pod('a', 'n1'), pod('b', 'n2'), pod('other', 'n1', 'db'), pod('c', 'n3'), pod('d', 'n1'));
    const asked: string[] = [];
    const fetchUsage: FetchNodeUsage = (target, token) => {
      asked.push(`${target.metadata?.name ?? ''}:${token ?? ''}`);
      if (target.metadata?.name === 'n2') return Promise.reject(new Error('connection refused'));
      // n1 reports a, the unselected pod and d under a stale uid (a pod recreated with the same name).
      return Promise.resolve({ pods: [usageOf(a!, 1_234_567), usageOf(other!, 5e8), { ...usageOf(d!, 1e8), uid: 'old' }] });
    };
    const source = new AgentPodMetricsSource({ clients, agentToken: 'admin-token', logger: silentLogger(), fetchUsage });

    const usage = await source.podMetrics('default', parseLabelSelector('app=web'), new AbortController().signal);

    assert.deepEqual(asked.sort(), ['n1:admin-token', 'n2:admin-token'], 'only Ready nodes running selected pods');
    assert.deepEqual([...usage.keys()], ['a']);
    const sample = usage.get('a');
    assert.equal(sample?.timestampMs, Date.parse('2025-01-01T00:00:30Z'));
    assert.equal(sample?.windowMs, 30_000);
    // 1234567 nanocores is 1.23m: rounded up to 2m, as Quantity.MilliValue() reads "1234567n".
    assert.deepEqual(sample?.containers.get('app'), { cpuMilli: 2, memoryBytes: 1024 });
  });

  it('asks no agent when no selected pod is on a node', async () => {
    const clients = new FakeClientSet();
    clients.seed(PODS, pod('a', ''));
    let calls = 0;
    const source = new AgentPodMetricsSource({
      clients, agentToken: 't', logger: silentLogger(),
      fetchUsage: () => { calls++; return Promise.resolve({ pods: [] }); },
    });
    assert.equal((await source.podMetrics('default', parseLabelSelector('app=web'), new AbortController().signal)).size, 0);
    assert.equal(calls, 0);
  });
});

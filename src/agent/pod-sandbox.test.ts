import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeEventRecorder } from '../client/events/fake-event-recorder.js';
import type { PodObject } from './object-types.js';
import { ensureSandbox } from './pod-sandbox.js';
import type { PodDnsSettings } from './pod-dns-config.js';
import { FakeRuntime } from './runtime/fake/fake-runtime.js';

function pod(spec: Partial<NonNullable<PodObject['spec']>> = {}): PodObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', uid: 'u-1' }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } };
}

const host = { nameservers: ['192.0.2.1'], searches: ['lan'], options: ['edns0'] };

async function sandboxDns(p: PodObject, dns: PodDnsSettings | undefined) {
  const runtime = new FakeRuntime();
  const recorder = new FakeEventRecorder();
  const ensured = await ensureSandbox({
    runtime, recorder, pod: p, uid: 'u-1', logDirectory: '/tmp/logs', sandbox: undefined, attempt: 0, ...(dns ? { dns } : {}),
  });
  assert.ok(ensured.ready);
  const config = runtime.state.sandboxes.get(ensured.sandbox?.id ?? '')?.config;
  return { dnsConfig: config?.dnsConfig, recorder };
}

describe('ensureSandbox DNS', () => {
  it('gives a ClusterFirst pod the cluster DNS, its search path and ndots:5', async () => {
    const { dnsConfig, recorder } = await sandboxDns(pod(), { clusterDns: ['169.254.20.10'], clusterDomain: 'cluster.local', host });
    assert.deepEqual(dnsConfig, {
      servers: ['169.254.20.10'], searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'lan'], options: ['ndots:5'],
    });
    assert.deepEqual(recorder.events, []);
  });

  it("falls back to the node's resolver with kubelet's MissingClusterDNS warning when the node serves no cluster DNS", async () => {
    const { dnsConfig, recorder } = await sandboxDns(pod(), { clusterDns: [], clusterDomain: 'cluster.local', host });
    assert.deepEqual(dnsConfig, { servers: ['192.0.2.1'], searches: ['lan'], options: ['edns0'] });
    assert.deepEqual(recorder.events.map((e) => [e.type, e.reason]), [['Warning', 'MissingClusterDNS']]);
    assert.match(recorder.events[0]?.message ?? '', /ClusterFirst/);
  });

  it('sends no DNS config without node DNS settings (the runtime keeps its default)', async () => {
    const { dnsConfig } = await sandboxDns(pod(), undefined);
    assert.equal(dnsConfig, undefined);
  });
});

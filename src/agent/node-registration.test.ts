import assert from 'node:assert/strict';
import { it } from 'node:test';
import { FakeClientSet } from '../client/fake/fake-client-set.js';
import { LEASES, NODES } from '../client/resource-types.js';
import { FakeClock } from '../lib/clock.js';
import { silentLogger } from '../lib/logger.js';
import type { HostInfo } from './host-info.js';
import { parseOsRelease } from './host-info.js';
import { NodeLease } from './node-lease.js';
import { NodeRegistration } from './node-registration.js';
import type { LeaseObject, NodeObject } from './object-types.js';

const host: HostInfo = {
  hostname: 'box', cpus: 4, memoryBytes: 8 * 2 ** 30, kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12 (bookworm)',
  operatingSystem: 'linux', architecture: 'amd64', machineID: 'm', bootID: 'b',
};

function setup(): { clients: FakeClientSet; clock: FakeClock; registration: NodeRegistration } {
  const clock = new FakeClock();
  const clients = new FakeClientSet({ clock });
  const registration = new NodeRegistration({
    clients, clock, logger: silentLogger(), podCidr: '10.244.1.0/24', statusReportIntervalMs: 60_000,
    description: { nodeName: 'node-1', host, address: '10.0.0.5', runtimeName: 'fake', runtimeVersion: '0.1.0', daemonPort: 10250 },
  });
  return { clients, clock, registration };
}

it('registers the Node with capacity, labels, addresses, nodeInfo and Ready', async () => {
  const { clients, registration } = setup();
  await registration.register();
  const node = await clients.resource<NodeObject>(NODES).get(undefined, 'node-1');
  assert.deepEqual(node.status?.capacity, { cpu: '4', memory: '8388608Ki', pods: '110' });
  assert.deepEqual(node.status?.allocatable, node.status?.capacity);
  assert.equal(node.metadata?.labels?.['kubernetes.io/hostname'], 'node-1');
  assert.equal(node.metadata?.labels?.['kubernetes.io/arch'], 'amd64');
  assert.equal(node.spec?.podCIDR, '10.244.1.0/24');
  assert.deepEqual(node.status?.addresses, [{ type: 'InternalIP', address: '10.0.0.5' }, { type: 'Hostname', address: 'box' }]);
  assert.equal(node.status?.nodeInfo?.containerRuntimeVersion, 'fake://0.1.0');
  assert.equal(node.status?.nodeInfo?.kubeletVersion, 'v1.32.0-k8ts');
  assert.equal(node.status?.daemonEndpoints?.kubeletEndpoint?.Port, 10250);
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  assert.deepEqual([ready?.status, ready?.reason, ready?.message], ['True', 'KubeletReady', 'kubelet is posting ready status']);
  assert.deepEqual(node.status?.conditions?.map((c) => `${c.type}=${c.status}`), ['MemoryPressure=False', 'DiskPressure=False', 'PIDPressure=False', 'Ready=True']);
});

it('re-registers over an existing Node and rewrites a condition another component changed', async () => {
  const { clients, clock, registration } = setup();
  clients.seed(NODES, { metadata: { name: 'node-1', labels: { extra: 'yes' } }, spec: {} });
  await registration.register();
  const nodes = clients.resource<NodeObject>(NODES);
  let node = await nodes.get(undefined, 'node-1');
  assert.equal(node.metadata?.labels?.extra, 'yes');
  assert.equal(node.metadata?.labels?.['kubernetes.io/os'], 'linux');
  clock.advance(10_000);
  assert.equal(await registration.report(), false, 'nothing changed, report interval not reached');
  const conditions = (node.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown' } : c));
  node = await nodes.updateStatus(undefined, { ...node, status: { ...node.status, conditions } });
  registration.refresh(node);
  assert.equal(await registration.report(), true);
  node = await nodes.get(undefined, 'node-1');
  assert.equal(node.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
  clock.advance(60_000);
  assert.equal(await registration.report(), true, 'report interval reached');
});

it('creates and renews the node Lease, owned by the Node', async () => {
  const { clients, clock, registration } = setup();
  const node = await registration.register();
  const lease = new NodeLease({ clients, clock, logger: silentLogger(), nodeName: 'node-1', node: () => node });
  await lease.renew();
  const leases = clients.resource<LeaseObject>(LEASES);
  let stored = await leases.get('kube-node-lease', 'node-1');
  assert.equal(stored.spec?.holderIdentity, 'node-1');
  assert.equal(stored.spec?.leaseDurationSeconds, 40);
  assert.equal(stored.spec?.renewTime, '2025-01-01T00:00:00.000000Z');
  assert.deepEqual(stored.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: node.metadata?.uid }]);
  clock.advance(10_000);
  await lease.renew();
  stored = await leases.get('kube-node-lease', 'node-1');
  assert.equal(stored.spec?.renewTime, '2025-01-01T00:00:10.000000Z');
});

it('reads PRETTY_NAME from os-release', () => {
  assert.equal(parseOsRelease('NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'), 'Debian GNU/Linux 12 (bookworm)');
});

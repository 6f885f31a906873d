import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../lib/clock.js';
import { silentLogger } from '../../../lib/logger.js';
import { MemoryStore } from '../../../storage/memory/memory-store.js';
import { parsePortRange, parseServiceCidr } from './allocation-range.js';
import { createServiceAllocation } from './service-allocation.js';

const SERVICES = '/registry/core/services/';

function setup() {
  const store = new MemoryStore();
  const clock = new FakeClock();
  const allocation = createServiceAllocation({
    store, clock, logger: silentLogger(), leakGraceMs: 60_000,
    clusterIPRange: parseServiceCidr('10.43.0.0/16'), nodePortRange: parsePortRange('30000-32767'),
  });
  return { store, clock, allocation };
}

async function storeService(store: MemoryStore, name: string, uid: string, spec: Record<string, unknown>): Promise<void> {
  await store.create(`${SERVICES}default/${name}`, JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', uid }, spec }));
}

describe('AllocationRepair', () => {
  it('releases reservations no Service holds, once they are older than the grace period', async () => {
    const { store, clock, allocation } = setup();
    const { ips, ports } = allocation.allocator;
    // A crash between reserving and writing the Service leaves these behind.
    await ips.allocate('10.43.0.50', { namespace: 'default', name: 'ghost', uid: 'g' }, false);
    await ports.allocate('30050', { namespace: 'default', name: 'ghost', uid: 'g' }, false);
    await storeService(store, 'live', 'l', { type: 'NodePort', clusterIP: '10.43.0.51', clusterIPs: ['10.43.0.51'], ports: [{ port: 80, nodePort: 30051 }] });
    await ips.allocate('10.43.0.51', { namespace: 'default', name: 'live', uid: 'l' }, false);
    await ports.allocate('30051', { namespace: 'default', name: 'live', uid: 'l' }, false);

    // Young: maybe a create still in flight.
    assert.deepEqual(await allocation.repair.runOnce(), { released: [], restored: [] });
    clock.advance(61_000);
    assert.deepEqual(await allocation.repair.runOnce(), { released: ['ip/10.43.0.50', 'port/30050'], restored: [] });
    assert.deepEqual((await ips.list()).map((r) => r.value), ['10.43.0.51']);
    assert.deepEqual((await ports.list()).map((r) => r.value), ['30051']);
  });

  it('re-records values a Service holds without a reservation, under that Service', async () => {
    const { store, allocation } = setup();
    await storeService(store, 'old', 'o', { type: 'LoadBalancer', clusterIP: '10.43.0.60', clusterIPs: ['10.43.0.60'], ports: [{ port: 80, nodePort: 30060 }], healthCheckNodePort: 30061 });
    await storeService(store, 'hl', 'h', { clusterIP: 'None', ports: [{ port: 80 }] });
    assert.deepEqual(await allocation.repair.runOnce(), { released: [], restored: ['ip/10.43.0.60', 'port/30060', 'port/30061'] });
    const owner = { namespace: 'default', name: 'new', uid: 'n' };
    await assert.rejects(allocation.allocator.ips.allocate('10.43.0.60', owner, false), { message: 'provided IP is already allocated' });
  });

  it('moves a reservation left by a deleted Service to the recreated one that holds the value', async () => {
    const { store, clock, allocation } = setup();
    await allocation.allocator.ips.allocate('10.43.0.70', { namespace: 'default', name: 'web', uid: 'first' }, false);
    await storeService(store, 'web', 'second', { clusterIP: '10.43.0.70', clusterIPs: ['10.43.0.70'], ports: [{ port: 80 }] });
    clock.advance(61_000);
    assert.deepEqual(await allocation.repair.runOnce(), { released: ['ip/10.43.0.70'], restored: ['ip/10.43.0.70'] });
    assert.deepEqual((await allocation.allocator.ips.list()).map((r) => r.owner.uid), ['second']);
  });
});

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { KubeObject } from '../../../api/object.js';
import { FakeClock } from '../../../lib/clock.js';
import { silentLogger } from '../../../lib/logger.js';
import { MemoryStore } from '../../../storage/memory/memory-store.js';
import { ApiRegistry } from '../api-registry.js';
import { endpointSliceStrategy } from '../kinds/endpoint-slice.js';
import { endpointsStrategy } from '../kinds/endpoints.js';
import { serviceStrategy } from '../kinds/service.js';
import { parsePortRange, parseServiceCidr } from './allocation-range.js';
import { ensureKubernetesService, keepKubernetesService } from './kubernetes-service.js';
import { createServiceAllocation } from './service-allocation.js';
import { serviceHooksFor } from './service-write-hooks.js';

describe('ensureKubernetesService', () => {
  let store: MemoryStore;
  let registry: ApiRegistry;

  beforeEach(() => {
    store = new MemoryStore();
    const clock = new FakeClock();
    const allocation = createServiceAllocation({
      store, clock, logger: silentLogger(),
      clusterIPRange: parseServiceCidr('10.43.0.0/16'), nodePortRange: parsePortRange('30000-32767'),
    });
    registry = new ApiRegistry({
      store, clock, kinds: [serviceStrategy, endpointsStrategy, endpointSliceStrategy], writeHooks: serviceHooksFor(allocation.hooks),
    });
  });
  afterEach(async () => {
    registry.close();
    await store.close();
  });

  const slices = () => registry.lookup('discovery.k8s.io', 'v1', 'endpointslices')!;
  const endpoints = () => registry.lookup('', 'v1', 'endpoints')!;

  it('writes an EndpointSlice for the API server as upstream\'s apiserver does', async () => {
    await ensureKubernetesService({ registry, clusterIP: '10.43.0.1', endpointAddress: '192.0.2.10', port: 6443 });
    const slice = await slices().get('default', 'kubernetes') as KubeObject & Record<string, unknown>;
    assert.deepEqual(slice.metadata?.labels, { 'kubernetes.io/service-name': 'kubernetes' });
    assert.equal(slice['addressType'], 'IPv4');
    assert.deepEqual(slice['ports'], [{ name: 'https', port: 6443, protocol: 'TCP' }]);
    const eps = slice['endpoints'] as { addresses: string[]; conditions: { ready: boolean } }[];
    assert.equal(eps.length, 1);
    assert.deepEqual(eps[0]?.addresses, ['192.0.2.10']);
    assert.equal(eps[0]?.conditions.ready, true);
    // Found the way the service proxy finds slices: by the service-name label.
    const listed = await slices().list('default', { labelSelector: 'kubernetes.io/service-name=kubernetes' });
    assert.deepEqual(listed.items.map((i) => i.metadata?.name), ['kubernetes']);
  });

  it('uses addressType IPv6 for an IPv6 address', async () => {
    await ensureKubernetesService({ registry, clusterIP: '10.43.0.1', endpointAddress: '::1', port: 6443 });
    assert.equal((await slices().get('default', 'kubernetes'))['addressType'], 'IPv6');
  });

  it('is idempotent, and moves Endpoints and EndpointSlice to a new address or port', async () => {
    await ensureKubernetesService({ registry, clusterIP: '10.43.0.1', endpointAddress: '192.0.2.10', port: 6443 });
    const before = await slices().get('default', 'kubernetes');
    await ensureKubernetesService({ registry, clusterIP: '10.43.0.1', endpointAddress: '192.0.2.10', port: 6443 });
    assert.equal((await slices().get('default', 'kubernetes')).metadata?.resourceVersion, before.metadata?.resourceVersion, 'unchanged: not rewritten');

    await ensureKubernetesService({ registry, clusterIP: '10.43.0.1', endpointAddress: '192.0.2.11', port: 7443 });
    const slice = await slices().get('default', 'kubernetes') as KubeObject & Record<string, unknown>;
    assert.deepEqual(slice['ports'], [{ name: 'https', port: 7443, protocol: 'TCP' }]);
    assert.deepEqual((slice['endpoints'] as { addresses: string[] }[])[0]?.addresses, ['192.0.2.11']);
    const ep = await endpoints().get('default', 'kubernetes') as KubeObject & { subsets: { addresses: { ip: string }[]; ports: { port: number }[] }[] };
    assert.equal(ep.subsets[0]?.addresses[0]?.ip, '192.0.2.11');
    assert.equal(ep.subsets[0]?.ports[0]?.port, 7443);
  });

  it('keeps the Service: one deleted by hand comes back at the next check, until stopped', async () => {
    const options = { registry, clusterIP: '10.43.0.1', endpointAddress: '192.0.2.10', port: 6443 };
    await ensureKubernetesService(options);
    const services = registry.lookup('', 'v1', 'services')!;
    const stop = new AbortController();
    const errors: unknown[] = [];
    const keeping = keepKubernetesService(options, 20, stop.signal, (e) => errors.push(e));
    await services.delete('default', 'kubernetes', { dryRun: false });
    let back: KubeObject | undefined;
    for (let i = 0; i < 200 && !back; i++) {
      await new Promise((r) => setTimeout(r, 10));
      back = await services.get('default', 'kubernetes').catch(() => undefined);
    }
    assert.equal((back?.spec as { clusterIP?: string } | undefined)?.clusterIP, '10.43.0.1');
    stop.abort();
    await keeping;
    await services.delete('default', 'kubernetes', { dryRun: false });
    await new Promise((r) => setTimeout(r, 60));
    await assert.rejects(services.get('default', 'kubernetes'), /not found/);
    assert.deepEqual(errors, []);
  });

  it('recreates a deleted EndpointSlice', async () => {
    await ensureKubernetesService({ registry, clusterIP: '10.43.0.1', endpointAddress: '192.0.2.10', port: 6443 });
    await slices().delete('default', 'kubernetes', { dryRun: false });
    await ensureKubernetesService({ registry, clusterIP: '10.43.0.1', endpointAddress: '192.0.2.10', port: 6443 });
    assert.equal((await slices().get('default', 'kubernetes')).metadata?.name, 'kubernetes');
  });
});

// The services registry with allocation hooked in: what kubectl sees through create / update /
// patch / delete, and what stays reserved in the store afterwards.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { KubeObject } from '../../../api/object.js';
import { FakeClock } from '../../../lib/clock.js';
import { silentLogger } from '../../../lib/logger.js';
import { MemoryStore } from '../../../storage/memory/memory-store.js';
import { statusFromError } from '../../status.js';
import { GenericRegistry } from '../generic-registry.js';
import { serviceStrategy } from '../kinds/service.js';
import { parsePortRange, parseServiceCidr } from './allocation-range.js';
import { createServiceAllocation, type ServiceAllocation } from './service-allocation.js';

const WRITE = { dryRun: false, fieldValidation: 'Strict' } as const;

function service(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }], ...spec },
  };
}

function specOf(obj: KubeObject): Record<string, unknown> {
  return obj['spec'] as Record<string, unknown>;
}

function nodePorts(obj: KubeObject): number[] {
  return (specOf(obj)['ports'] as { nodePort?: number }[]).map((p) => p.nodePort ?? 0);
}

async function rejectsWith(promise: Promise<unknown>, code: number, message: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    const { code: got, status } = statusFromError(error);
    assert.equal(got, code);
    assert.equal(status['message'], message);
    return true;
  });
}

describe('services registry with allocation', () => {
  let store: MemoryStore;
  let services: GenericRegistry;
  let allocation: ServiceAllocation;

  function build(cidr = '10.43.0.0/16', ports = '30000-32767'): void {
    store = new MemoryStore();
    allocation = createServiceAllocation({
      store, clock: new FakeClock(), logger: silentLogger(),
      clusterIPRange: parseServiceCidr(cidr), nodePortRange: parsePortRange(ports),
    });
    services = new GenericRegistry({ store, strategy: serviceStrategy, clock: new FakeClock(), writeHooks: allocation.hooks });
  }

  async function reservedIPs(): Promise<string[]> {
    return (await allocation.allocator.ips.list()).map((r) => r.value).sort();
  }

  async function reservedPorts(): Promise<string[]> {
    return (await allocation.allocator.ports.list()).map((r) => r.value).sort();
  }

  beforeEach(() => build());

  it('gives a ClusterIP service an address from the range, mirrored in clusterIPs', async () => {
    const { object } = await services.create('default', service('web'), WRITE);
    const ip = specOf(object)['clusterIP'] as string;
    assert.match(ip, /^10\.43\.\d+\.\d+$/);
    assert.deepEqual(specOf(object)['clusterIPs'], [ip]);
    assert.deepEqual(await reservedIPs(), [ip]);
  });

  it('refuses a cluster IP that is taken or outside the range with upstream\'s 422', async () => {
    await services.create('default', service('one', { clusterIP: '10.43.0.5' }), WRITE);
    await rejectsWith(services.create('default', service('two', { clusterIP: '10.43.0.5' }), WRITE), 422,
      'Service "two" is invalid: spec.clusterIPs: Invalid value: []string{"10.43.0.5"}: failed to allocate IP 10.43.0.5: provided IP is already allocated');
    await rejectsWith(services.create('default', service('three', { clusterIP: '1.1.1.1' }), WRITE), 422,
      'Service "three" is invalid: spec.clusterIPs: Invalid value: []string{"1.1.1.1"}: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.43.0.0/16');
    assert.deepEqual(await reservedIPs(), ['10.43.0.5']);
  });

  it('allocates nothing for headless and ExternalName services', async () => {
    const headless = await services.create('default', service('hl', { clusterIP: 'None' }), WRITE);
    assert.equal(specOf(headless.object)['clusterIP'], 'None');
    const external = await services.create('default', { ...service('ext'), spec: { type: 'ExternalName', externalName: 'example.com' } }, WRITE);
    assert.equal(specOf(external.object)['clusterIP'], undefined);
    assert.deepEqual(await reservedIPs(), []);
  });

  it('releases what it reserved when the create fails afterwards', async () => {
    // Allocation runs before validation (as upstream); the bad port name fails validation.
    const bad = service('bad', { clusterIP: '10.43.0.9', type: 'NodePort', ports: [{ name: 'Not_Valid', port: 80, nodePort: 30080 }] });
    await assert.rejects(services.create('default', bad, WRITE), { code: 'Invalid' });
    // A name clash fails in the store, after allocation.
    await services.create('default', service('same'), WRITE);
    const before = await reservedIPs();
    await assert.rejects(services.create('default', service('same', { type: 'NodePort' }), WRITE), { code: 'AlreadyExists' });
    assert.deepEqual(await reservedIPs(), before);
    assert.deepEqual(await reservedPorts(), []);
  });

  it('dry run shows an allocation but reserves nothing', async () => {
    const { object } = await services.create('default', service('dry', { type: 'NodePort' }), { ...WRITE, dryRun: true });
    assert.match(specOf(object)['clusterIP'] as string, /^10\.43\./);
    assert.ok(nodePorts(object)[0]! >= 30000);
    assert.deepEqual(await reservedIPs(), []);
    assert.deepEqual(await reservedPorts(), []);
  });

  it('gives NodePort services a node port per port and refuses a taken one', async () => {
    const { object } = await services.create('default', service('np', {
      type: 'NodePort', ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443, nodePort: 30443 }],
    }), WRITE);
    const [http, https] = nodePorts(object);
    assert.ok(http! >= 30000 && http! <= 32767);
    assert.equal(https, 30443);
    await rejectsWith(services.create('default', service('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: 30443 }] }), WRITE), 422,
      'Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30443: provided port is already allocated');
    await rejectsWith(services.create('default', service('np3', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }), WRITE), 422,
      'Service "np3" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767');
    assert.deepEqual(await reservedPorts(), [String(http), '30443'].sort());
  });

  it('a LoadBalancer with externalTrafficPolicy Local also gets a healthCheckNodePort', async () => {
    const { object } = await services.create('default', service('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }), WRITE);
    const health = specOf(object)['healthCheckNodePort'] as number;
    assert.ok(health >= 30000);
    assert.equal((await reservedPorts()).length, 2);
    await services.delete('default', 'lb', { dryRun: false });
    assert.deepEqual(await reservedPorts(), []);
  });

  it('keeps allocated values when a client re-sends its manifest (PUT without them)', async () => {
    const created = await services.create('default', service('keep', { type: 'NodePort' }), WRITE);
    const updated = await services.update('default', 'keep', service('keep', { type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: 9090 }] }), WRITE);
    assert.equal(specOf(updated.object)['clusterIP'], specOf(created.object)['clusterIP']);
    assert.deepEqual(nodePorts(updated.object), nodePorts(created.object));
    assert.equal((await reservedPorts()).length, 1);
  });

  it('releases node ports when the type goes back to ClusterIP, and the IP on ExternalName', async () => {
    const created = await services.create('default', service('flip', { type: 'NodePort' }), WRITE);
    const port = String(nodePorts(created.object)[0]);
    const patched = await services.patch('default', 'flip', 'merge', { spec: { type: 'ClusterIP' } }, WRITE);
    assert.deepEqual(nodePorts(patched.object), [0]);
    assert.deepEqual(await reservedPorts(), []);
    // The port is free for someone else now.
    await services.create('default', service('other', { type: 'NodePort', ports: [{ port: 80, nodePort: Number(port) }] }), WRITE);

    const ip = specOf(created.object)['clusterIP'] as string;
    await services.patch('default', 'flip', 'merge', { spec: { type: 'ExternalName', externalName: 'example.com' } }, WRITE);
    assert.ok(!(await reservedIPs()).includes(ip));
    const back = await services.patch('default', 'flip', 'merge', { spec: { type: 'ClusterIP', externalName: null } }, WRITE);
    assert.ok((await reservedIPs()).includes(specOf(back.object)['clusterIP'] as string));
  });

  it('allocates a changed node port and releases the old one', async () => {
    await services.create('default', service('mv', { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30100 }] }), WRITE);
    await services.patch('default', 'mv', 'json', [{ op: 'replace', path: '/spec/ports/0/nodePort', value: 30101 }], WRITE);
    assert.deepEqual(await reservedPorts(), ['30101']);
  });

  it('refuses to change the cluster IP and keeps the reservation', async () => {
    await services.create('default', service('imm', { clusterIP: '10.43.0.7' }), WRITE);
    await assert.rejects(services.patch('default', 'imm', 'merge', { spec: { clusterIP: '10.43.0.8', clusterIPs: ['10.43.0.8'] } }, WRITE), { code: 'Invalid' });
    assert.deepEqual(await reservedIPs(), ['10.43.0.7']);
  });

  it('releases everything on delete', async () => {
    await services.create('default', service('gone', { type: 'NodePort', clusterIP: '10.43.0.3' }), WRITE);
    await services.delete('default', 'gone', { dryRun: true });
    assert.deepEqual(await reservedIPs(), ['10.43.0.3']);
    await services.delete('default', 'gone', { dryRun: false });
    assert.deepEqual(await reservedIPs(), []);
    assert.deepEqual(await reservedPorts(), []);
    await services.create('default', service('again', { clusterIP: '10.43.0.3' }), WRITE);
  });

  it('answers a full range with upstream\'s 500', async () => {
    build('10.0.0.0/30', '30000-30000');
    await services.create('default', service('a'), WRITE);
    await services.create('default', service('b'), WRITE);
    await rejectsWith(services.create('default', service('c'), WRITE), 500, 'Internal error occurred: failed to allocate a serviceIP: range is full');
    await services.create('default', service('np', { clusterIP: 'None', type: 'ClusterIP' }), WRITE);
    await services.delete('default', 'b', { dryRun: false });
    await services.create('default', service('p1', { type: 'NodePort' }), WRITE);
    await services.delete('default', 'a', { dryRun: false });
    await rejectsWith(services.create('default', service('p2', { type: 'NodePort' }), WRITE), 500, 'Internal error occurred: failed to allocate a nodePort: range is full');
    // The failed create gave its cluster IP back.
    assert.deepEqual(await reservedIPs(), [specOf(await services.get('default', 'p1'))['clusterIP'] as string]);
  });
});

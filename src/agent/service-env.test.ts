import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveEnv, type ConfigSource } from './container-env.js';
import type { PodObject } from './object-types.js';
import { serviceEnvMap, serviceEnvVars, type ServiceObject } from './service-env.js';

function svc(namespace: string, name: string, clusterIP: string, ports: { name?: string; port: number; protocol?: string }[]): ServiceObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { clusterIP, ports: ports.map((p) => ({ protocol: 'TCP', ...p })) } };
}

const KUBERNETES = svc('default', 'kubernetes', '10.43.0.1', [{ name: 'https', port: 443 }]);

describe('service environment variables', () => {
  it('names every variable as kubelet does', () => {
    const env = serviceEnvVars(svc('shop', 'redis-primary', '10.43.0.11', [{ port: 6379 }, { name: 'metrics', port: 9121, protocol: 'UDP' }]));
    assert.deepEqual(env, [
      { name: 'REDIS_PRIMARY_SERVICE_HOST', value: '10.43.0.11' },
      { name: 'REDIS_PRIMARY_SERVICE_PORT', value: '6379' },
      { name: 'REDIS_PRIMARY_SERVICE_PORT_METRICS', value: '9121' },
      { name: 'REDIS_PRIMARY_PORT', value: 'tcp://10.43.0.11:6379' },
      { name: 'REDIS_PRIMARY_PORT_6379_TCP', value: 'tcp://10.43.0.11:6379' },
      { name: 'REDIS_PRIMARY_PORT_6379_TCP_PROTO', value: 'tcp' },
      { name: 'REDIS_PRIMARY_PORT_6379_TCP_PORT', value: '6379' },
      { name: 'REDIS_PRIMARY_PORT_6379_TCP_ADDR', value: '10.43.0.11' },
      { name: 'REDIS_PRIMARY_PORT_9121_UDP', value: 'udp://10.43.0.11:9121' },
      { name: 'REDIS_PRIMARY_PORT_9121_UDP_PROTO', value: 'udp' },
      { name: 'REDIS_PRIMARY_PORT_9121_UDP_PORT', value: '9121' },
      { name: 'REDIS_PRIMARY_PORT_9121_UDP_ADDR', value: '10.43.0.11' },
    ]);
  });

  it('skips headless and ExternalName services', () => {
    assert.deepEqual(serviceEnvVars(svc('shop', 'hl', 'None', [{ port: 80 }])), []);
    const external: ServiceObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } };
    assert.deepEqual(serviceEnvVars(external), []);
  });

  it('always includes the kubernetes service; the namespace\'s services only with service links', () => {
    const own = [svc('shop', 'web', '10.43.0.20', [{ port: 80 }])];
    const withLinks = serviceEnvMap({ enableServiceLinks: true, namespaceServices: own, defaultServices: [KUBERNETES] });
    assert.equal(withLinks.get('WEB_SERVICE_HOST'), '10.43.0.20');
    assert.equal(withLinks.get('KUBERNETES_SERVICE_HOST'), '10.43.0.1');
    assert.equal(withLinks.get('KUBERNETES_SERVICE_PORT_HTTPS'), '443');
    const without = serviceEnvMap({ enableServiceLinks: false, namespaceServices: own, defaultServices: [KUBERNETES] });
    assert.equal(without.get('WEB_SERVICE_HOST'), undefined);
    assert.equal(without.get('KUBERNETES_SERVICE_HOST'), '10.43.0.1');
    // Other default-namespace services are not "master services".
    const other = serviceEnvMap({ enableServiceLinks: true, namespaceServices: own, defaultServices: [svc('default', 'db', '10.43.0.30', [{ port: 5432 }])] });
    assert.equal(other.get('DB_SERVICE_HOST'), undefined);
    // A namespace's own `kubernetes` service wins over the master one.
    const shadow = serviceEnvMap({ enableServiceLinks: true, namespaceServices: [svc('shop', 'kubernetes', '10.43.0.99', [{ port: 1 }])], defaultServices: [KUBERNETES] });
    assert.equal(shadow.get('KUBERNETES_SERVICE_HOST'), '10.43.0.99');
  });
});

describe('resolveEnv with services', () => {
  const pod: PodObject = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' },
    spec: { containers: [] },
  };
  const listed: string[] = [];
  const source: ConfigSource = {
    configMap: () => Promise.resolve(undefined),
    secret: () => Promise.resolve(undefined),
    services: (namespace) => {
      listed.push(namespace);
      return Promise.resolve(namespace === 'default' ? [KUBERNETES] : [svc('shop', 'web', '10.43.0.20', [{ port: 80 }])]);
    },
  };
  const base = { pod, source, hostIP: '192.0.2.1', nodeAllocatable: { cpu: 1, memory: 1 } };

  it('adds service variables the pod does not define and lets $(VAR) use them', async () => {
    const env = await resolveEnv({
      ...base,
      container: { name: 'c', env: [{ name: 'WEB_SERVICE_PORT', value: 'mine' }, { name: 'URL', value: 'http://$(WEB_SERVICE_HOST):$(WEB_SERVICE_PORT)' }] },
    });
    const map = new Map(env.map((e) => [e.name, e.value]));
    assert.equal(map.get('WEB_SERVICE_PORT'), 'mine');
    assert.equal(map.get('URL'), 'http://10.43.0.20:mine');
    assert.equal(map.get('WEB_SERVICE_HOST'), '10.43.0.20');
    assert.equal(map.get('KUBERNETES_SERVICE_HOST'), '10.43.0.1');
    assert.deepEqual(listed.sort(), ['default', 'shop']);
    // Pod-defined variables keep their place first; service variables follow.
    assert.equal(env[0]?.name, 'WEB_SERVICE_PORT');
  });

  it('honours enableServiceLinks: false', async () => {
    const env = await resolveEnv({ ...base, pod: { ...pod, spec: { containers: [], enableServiceLinks: false } }, container: { name: 'c' } });
    const names = env.map((e) => e.name);
    assert.ok(names.includes('KUBERNETES_SERVICE_HOST'));
    assert.ok(!names.includes('WEB_SERVICE_HOST'));
  });

  it('a source without services adds nothing', async () => {
    const env = await resolveEnv({ ...base, source: { configMap: () => Promise.resolve(undefined), secret: () => Promise.resolve(undefined) }, container: { name: 'c' } });
    assert.deepEqual(env, []);
  });
});

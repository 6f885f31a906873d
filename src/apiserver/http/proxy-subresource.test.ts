import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1.js';
import { BadRequestError, NotFoundError, UnavailableError } from '../../lib/errors.js';
import { proxyDestination, proxyTarget, type ProxyLookups } from './proxy-subresource.js';

describe('proxyTarget', () => {
  it('reads name, name:port and scheme:name:port, and keeps the rest of the path encoded', () => {
    assert.deepEqual(proxyTarget('/api/v1/namespaces/ns/pods/web/proxy'), { resource: 'pods', namespace: 'ns', scheme: 'http', name: 'web', port: '', path: '' });
    assert.deepEqual(proxyTarget('/api/v1/namespaces/ns/services/web:http/proxy/a%20b/c'), {
      resource: 'services', namespace: 'ns', scheme: 'http', name: 'web', port: 'http', path: '/a%20b/c',
    });
    assert.equal(proxyTarget('/api/v1/namespaces/ns/services/https:web:8443/proxy/')?.scheme, 'https');
    assert.equal(proxyTarget('/api/v1/namespaces/ns/pods/web/log'), undefined);
    assert.equal(proxyTarget('/api/v1/namespaces/ns/configmaps/web/proxy/'), undefined);
  });

  it('refuses other schemes and malformed names with 400', () => {
    assert.throws(() => proxyTarget('/api/v1/namespaces/ns/pods/ftp:web:21/proxy/'), BadRequestError);
    assert.throws(() => proxyTarget('/api/v1/namespaces/ns/pods/a:b:c:d/proxy/'), BadRequestError);
    assert.throws(() => proxyTarget('/api/v1/namespaces/ns/pods/:80/proxy/'), BadRequestError);
  });
});

describe('proxyDestination', () => {
  const pod: Pod = { spec: { containers: [{ name: 'a' }, { name: 'b', ports: [{ containerPort: 9000 }, { containerPort: 9001 }] }] }, status: { podIP: '10.1.0.7' } };
  const service: Service = { spec: { ports: [{ name: 'web', port: 80 }, { name: 'admin', port: 81 }] } };
  const endpoints: Endpoints = {
    metadata: {},
    subsets: [
      { addresses: [{ ip: '10.1.0.7' }, { ip: '10.1.0.8' }], ports: [{ name: 'web', port: 8080 }] },
      { addresses: [{ ip: '10.1.0.9' }], notReadyAddresses: [{ ip: '10.1.0.10' }], ports: [{ name: 'admin', port: 9090 }] },
    ],
  };
  const lookups = (over: Partial<ProxyLookups> = {}): ProxyLookups => ({
    getPod: async () => pod,
    getService: async () => service,
    getEndpoints: async () => endpoints,
    ...over,
  });
  const target = (path: string) => {
    const t = proxyTarget(path);
    assert.ok(t);
    return t;
  };

  it('sends a pod request to its IP, on the given port or its first declared one', async () => {
    assert.deepEqual(await proxyDestination(target('/api/v1/namespaces/ns/pods/p:8080/proxy/'), lookups()), { host: '10.1.0.7', port: 8080 });
    assert.deepEqual(await proxyDestination(target('/api/v1/namespaces/ns/pods/p/proxy/'), lookups()), { host: '10.1.0.7', port: 9000 });
    const bare: Pod = { spec: { containers: [{ name: 'a' }] }, status: { podIP: '10.1.0.7' } };
    assert.deepEqual(await proxyDestination(target('/api/v1/namespaces/ns/pods/https:p:/proxy/'), lookups({ getPod: async () => bare })), { host: '10.1.0.7', port: 443 });
    await assert.rejects(proxyDestination(target('/api/v1/namespaces/ns/pods/p:http/proxy/'), lookups()), BadRequestError);
    await assert.rejects(proxyDestination(target('/api/v1/namespaces/ns/pods/p/proxy/'), lookups({ getPod: async () => ({ status: {} }) })), UnavailableError);
  });

  it('sends a service request to a ready address serving the port, by name or number', async () => {
    const byName = target('/api/v1/namespaces/ns/services/s:web/proxy/');
    assert.deepEqual(await proxyDestination(byName, lookups(), () => 0), { host: '10.1.0.7', port: 8080 });
    assert.deepEqual(await proxyDestination(byName, lookups(), () => 0.99), { host: '10.1.0.8', port: 8080 });
    assert.deepEqual(await proxyDestination(target('/api/v1/namespaces/ns/services/s:81/proxy/'), lookups(), () => 0.99), { host: '10.1.0.9', port: 9090 });
    await assert.rejects(proxyDestination(target('/api/v1/namespaces/ns/services/s:82/proxy/'), lookups()), /no service port 82 found for service "s"/);
    await assert.rejects(proxyDestination(target('/api/v1/namespaces/ns/services/s:other/proxy/'), lookups()), /no endpoints available for service "s"/);
    const gone = lookups({ getEndpoints: async () => Promise.reject(new NotFoundError('endpoints "s" not found')) });
    await assert.rejects(proxyDestination(byName, gone), UnavailableError);
  });
});

import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { Gateway, GatewayClass, HTTPRoute, Listener, ReferenceGrant } from '../../api/gateway/index.js';
import { testCertificateAuthority, type IssuedCertificate } from '../../../test/helpers/tls-certificates.js';
import { compileRouteTable, type RouteCompilerInput } from './route-compiler.js';

const gatewayClass: GatewayClass = { metadata: { name: 'k8ts' }, spec: { controllerName: 'k8ts.io/gateway-controller' } };

function gateway(name: string, listeners: Listener[], namespace = 'default'): Gateway {
  return { metadata: { namespace, name }, spec: { gatewayClassName: 'k8ts', listeners } };
}

function https(name: string, port: number, secret: string, extra: Partial<Listener> = {}, secretNamespace?: string): Listener {
  return { name, port, protocol: 'HTTPS', tls: { mode: 'Terminate', certificateRefs: [{ name: secret, ...(secretNamespace !== undefined ? { namespace: secretNamespace } : {}) }] }, ...extra };
}

function tlsSecret(name: string, cert: IssuedCertificate, namespace = 'default', type = 'kubernetes.io/tls'): Secret {
  return {
    metadata: { namespace, name }, type,
    data: { 'tls.crt': Buffer.from(cert.certPem).toString('base64'), 'tls.key': Buffer.from(cert.keyPem).toString('base64') },
  };
}

const route: HTTPRoute = {
  metadata: { namespace: 'default', name: 'r', creationTimestamp: '2025-01-01T00:00:00Z' },
  spec: { parentRefs: [{ name: 'gw' }], rules: [{}] },
};

function compile(over: Partial<RouteCompilerInput>): ReturnType<typeof compileRouteTable> {
  return compileRouteTable({
    gatewayClasses: [gatewayClass], gateways: [], httpRoutes: [route], services: [], endpointSlices: [], pods: [], ...over,
  }, { version: 1 });
}

void describe('compileRouteTable: HTTPS listeners', () => {
  let a: IssuedCertificate;
  let wild: IssuedCertificate;
  let plain: IssuedCertificate;

  before(async () => {
    const ca = await testCertificateAuthority();
    a = await ca.issue(['a.example.com']);
    wild = await ca.issue(['*.example.com']);
    plain = await ca.issue(['default.test']);
  });

  void it('gives an HTTPS port its certificates, one per hostname, the listener without hostname first', () => {
    const table = compile({
      gateways: [gateway('gw', [
        https('a', 8443, 'a-cert', { hostname: 'A.example.com' }),
        https('wild', 8443, 'wild-cert', { hostname: '*.example.com' }),
        https('any', 8443, 'plain-cert'),
      ])],
      secrets: [tlsSecret('a-cert', a), tlsSecret('wild-cert', wild), tlsSecret('plain-cert', plain)],
    });
    const listener = table.listeners[0];
    assert.equal(listener?.port, 8443);
    assert.deepEqual(listener?.tls?.certificates.map((c) => [c.hostname ?? '(default)', c.certPem]), [
      ['(default)', plain.certPem], ['a.example.com', a.certPem], ['*.example.com', wild.certPem],
    ]);
    assert.equal(listener?.tls?.certificates[0]?.keyPem, plain.keyPem);
    // The route (no hostnames) attaches to each listener: one rule per listener hostname.
    assert.deepEqual(listener?.rules.map((r) => r.hostnames[0] ?? '*').sort(), ['*', '*.example.com', 'a.example.com']);
  });

  void it('without a listener lacking a hostname, the first listener\'s certificate is the default', () => {
    const table = compile({
      gateways: [gateway('gw', [https('wild', 8443, 'wild-cert', { hostname: '*.example.com' }), https('a', 8443, 'a-cert', { hostname: 'a.example.com' })])],
      secrets: [tlsSecret('a-cert', a), tlsSecret('wild-cert', wild)],
    });
    assert.equal(table.listeners[0]?.tls?.certificates[0]?.hostname, '*.example.com');
  });

  void it('does not serve an HTTPS listener whose certificate does not resolve', () => {
    const missing = compile({ gateways: [gateway('gw', [https('a', 8443, 'nope')])], secrets: [] });
    assert.deepEqual(missing.listeners, []);
    const opaque = compile({ gateways: [gateway('gw', [https('a', 8443, 'a-cert')])], secrets: [tlsSecret('a-cert', a, 'default', 'Opaque')] });
    assert.deepEqual(opaque.listeners, []);
    const mismatched = compile({ gateways: [gateway('gw', [https('a', 8443, 'mixed')])], secrets: [tlsSecret('mixed', { certPem: a.certPem, keyPem: wild.keyPem })] });
    assert.deepEqual(mismatched.listeners, []);
  });

  void it('needs a ReferenceGrant for a Secret in another namespace', () => {
    const input = {
      gateways: [gateway('gw', [https('a', 8443, 'shared', {}, 'certs')])],
      secrets: [tlsSecret('shared', a, 'certs')],
    };
    assert.deepEqual(compile(input).listeners, []);
    const grant: ReferenceGrant = {
      metadata: { namespace: 'certs', name: 'gateways' },
      spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'default' }], to: [{ group: '', kind: 'Secret' }] },
    };
    assert.equal(compile({ ...input, referenceGrants: [grant] }).listeners[0]?.tls?.certificates[0]?.certPem, a.certPem);
  });

  void it('leaves a port shared by HTTP and HTTPS listeners to HTTP', () => {
    const table = compile({
      gateways: [gateway('gw', [{ name: 'http', port: 8080, protocol: 'HTTP' }, https('a', 8080, 'a-cert', { hostname: 'a.example.com' })])],
      secrets: [tlsSecret('a-cert', a)],
    });
    assert.equal(table.listeners.length, 1);
    assert.equal(table.listeners[0]?.tls, undefined);
    assert.deepEqual(table.listeners[0]?.rules.map((r) => r.hostnames[0] ?? '*'), ['*']);
  });
});

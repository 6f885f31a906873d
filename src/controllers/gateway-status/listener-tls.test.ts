// HTTPS listeners in Gateway status: ResolvedRefs for each certificateRef problem, Programmed,
// attachedRoutes, and the controller reacting to Secrets and ReferenceGrants.
import assert from 'node:assert/strict';
import { afterEach, before, beforeEach, describe, it } from 'node:test';
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { Condition } from 'kubernetes-types/meta/v1.js';
import type { Gateway, GatewayStatus, Listener, ReferenceGrant } from '../../api/gateway/index.js';
import { defaultGateway } from '../../api/gateway/gateway-defaults.js';
import type { CertificateLookup } from '../../api/gateway/listener-certificates.js';
import type { KubeObject } from '../../api/object.js';
import { GATEWAY_CLASSES, GATEWAYS, HTTP_ROUTES, NAMESPACES, REFERENCE_GRANTS, SECRETS } from '../../client/resource-types.js';
import { testCertificateAuthority, type IssuedCertificate } from '../../../test/helpers/tls-certificates.js';
import { ControllerHarness } from '../framework/controller-harness.fixture.js';
import { buildGatewayStatus } from './gateway-status-builder.js';
import { createGatewayStatusController } from './gateway-status-controller.js';
import { listenerVerdicts } from './listener-validity.js';

const brief = (conditions: readonly Condition[] | undefined, type: string): string =>
  ((c) => (c ? `${c.status}/${c.reason}` : 'none'))(conditions?.find((x) => x.type === type));

function httpsListener(secret: string, extra: Partial<Listener> = {}, secretNamespace?: string, kind?: string): Listener {
  const ref = { name: secret, ...(secretNamespace !== undefined ? { namespace: secretNamespace } : {}), ...(kind !== undefined ? { kind } : {}) };
  return { name: 'https', port: 8443, protocol: 'HTTPS', tls: { mode: 'Terminate', certificateRefs: [ref] }, ...extra };
}

function tlsSecret(namespace: string, name: string, certPem: string, keyPem: string, type = 'kubernetes.io/tls'): Secret {
  return {
    metadata: { namespace, name }, type,
    data: { 'tls.crt': Buffer.from(certPem).toString('base64'), 'tls.key': Buffer.from(keyPem).toString('base64') },
  };
}

const gatewayGrant: ReferenceGrant = {
  metadata: { namespace: 'certs', name: 'gateways' },
  spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'default' }], to: [{ group: '', kind: 'Secret', name: 'shared' }] },
};

void describe('HTTPS listener status', () => {
  let cert: IssuedCertificate;
  let other: IssuedCertificate;

  before(async () => {
    const ca = await testCertificateAuthority();
    cert = await ca.issue(['a.example.com']);
    other = await ca.issue(['b.example.com']);
  });

  const lookup = (secrets: Secret[], grants: ReferenceGrant[] = []): CertificateLookup => ({
    secret: (ns, name) => secrets.find((s) => s.metadata?.namespace === ns && s.metadata.name === name),
    grantsIn: (ns) => grants.filter((g) => g.metadata?.namespace === ns),
  });

  const statusOf = (listener: Listener, certificates: CertificateLookup): GatewayStatus => {
    const gateway: Gateway = { metadata: { namespace: 'default', name: 'gw', generation: 1 }, spec: { gatewayClassName: 'k8ts', listeners: [listener] } };
    return buildGatewayStatus({
      gateway, verdicts: listenerVerdicts(gateway, certificates), attachedRoutes: new Map([['https', 2]]), address: '127.0.0.1', now: '2026-01-01T00:00:00Z',
    });
  };

  void it('accepts and programs an HTTPS listener whose Secret resolves', () => {
    const status = statusOf(httpsListener('site'), lookup([tlsSecret('default', 'site', cert.certPem, cert.keyPem)]));
    const listener = status.listeners?.[0];
    assert.equal(brief(listener?.conditions, 'Accepted'), 'True/Accepted');
    assert.equal(brief(listener?.conditions, 'ResolvedRefs'), 'True/ResolvedRefs');
    assert.equal(brief(listener?.conditions, 'Programmed'), 'True/Programmed');
    assert.deepEqual(listener?.supportedKinds, [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }]);
    assert.equal(listener?.attachedRoutes, 2);
    assert.equal(brief(status.conditions, 'Accepted'), 'True/Accepted');
    assert.equal(brief(status.conditions, 'Programmed'), 'True/Programmed');
  });

  // Secrets are built inside the test: the certificates exist only once `before` ran.
  const invalid: [string, Listener, () => Secret[], string][] = [
    ['a missing Secret', httpsListener('nope'), () => [], 'Secret default/nope not found'],
    ['a Secret that is not kubernetes.io/tls', httpsListener('site'), () => [tlsSecret('default', 'site', cert.certPem, cert.keyPem, 'Opaque')], 'Secret default/site is of type Opaque, not kubernetes.io/tls'],
    ['a certificate that is not PEM', httpsListener('site'), () => [tlsSecret('default', 'site', 'not a certificate', cert.keyPem)], 'Secret default/site has no valid PEM certificate in tls.crt'],
    ['a key that is not PEM', httpsListener('site'), () => [tlsSecret('default', 'site', cert.certPem, 'garbage')], 'Secret default/site has no valid PEM private key in tls.key'],
    ['a key of another certificate', httpsListener('site'), () => [tlsSecret('default', 'site', cert.certPem, other.keyPem)], 'Secret default/site has a tls.key that does not match its certificate'],
    ['a ref to another kind', httpsListener('site', {}, undefined, 'ConfigMap'), () => [], 'certificateRef site: unsupported kind ConfigMap; only Secret is supported'],
    ['no certificateRefs', { name: 'https', port: 8443, protocol: 'HTTPS', tls: { mode: 'Terminate', options: { x: 'y' } } }, () => [], 'HTTPS listener has no tls.certificateRefs'],
  ];
  for (const [what, listener, secrets, message] of invalid) {
    void it(`reports ${what} as ResolvedRefs False/InvalidCertificateRef and does not program the listener`, () => {
      const status = statusOf(listener, lookup(secrets()));
      const conditions = status.listeners?.[0]?.conditions;
      assert.equal(brief(conditions, 'ResolvedRefs'), 'False/InvalidCertificateRef');
      assert.equal(conditions?.find((c) => c.type === 'ResolvedRefs')?.message, message);
      assert.equal(brief(conditions, 'Accepted'), 'True/Accepted');
      assert.equal(brief(conditions, 'Programmed'), 'False/Invalid');
      assert.equal(status.listeners?.[0]?.attachedRoutes, 0);
      assert.equal(brief(status.conditions, 'Accepted'), 'False/ListenersNotValid');
      assert.doesNotMatch(JSON.stringify(status), /PRIVATE KEY|BEGIN/, 'no key material in status');
    });
  }

  void it('reports a Secret in another namespace as RefNotPermitted until a ReferenceGrant for it exists', () => {
    const secrets = [tlsSecret('certs', 'shared', cert.certPem, cert.keyPem)];
    const denied = statusOf(httpsListener('shared', {}, 'certs'), lookup(secrets)).listeners?.[0]?.conditions;
    assert.equal(brief(denied, 'ResolvedRefs'), 'False/RefNotPermitted');
    assert.equal(brief(denied, 'Programmed'), 'False/Invalid');
    const otherName: ReferenceGrant = { ...gatewayGrant, spec: { ...gatewayGrant.spec, to: [{ group: '', kind: 'Secret', name: 'elsewhere' }] } };
    assert.equal(brief(statusOf(httpsListener('shared', {}, 'certs'), lookup(secrets, [otherName])).listeners?.[0]?.conditions, 'ResolvedRefs'), 'False/RefNotPermitted');
    const allowed = statusOf(httpsListener('shared', {}, 'certs'), lookup(secrets, [gatewayGrant])).listeners?.[0]?.conditions;
    assert.equal(brief(allowed, 'ResolvedRefs'), 'True/ResolvedRefs');
    assert.equal(brief(allowed, 'Programmed'), 'True/Programmed');
  });

  void it('keeps a listener programmed on its usable certificate while reporting the broken one', () => {
    const listener: Listener = { ...httpsListener('site'), tls: { mode: 'Terminate', certificateRefs: [{ name: 'site' }, { name: 'gone' }] } };
    const conditions = statusOf(listener, lookup([tlsSecret('default', 'site', cert.certPem, cert.keyPem)])).listeners?.[0]?.conditions;
    assert.equal(brief(conditions, 'ResolvedRefs'), 'False/InvalidCertificateRef');
    assert.equal(brief(conditions, 'Programmed'), 'True/Programmed');
  });
});

void describe('gateway status controller: HTTPS listeners', () => {
  let h: ControllerHarness;
  let cert: IssuedCertificate;

  before(async () => {
    cert = await (await testCertificateAuthority()).issue(['a.example.com']);
  });

  beforeEach(async () => {
    h = new ControllerHarness(createGatewayStatusController({ gatewayAddress: '127.0.0.9' }));
    const c = h.clients;
    for (const name of ['default', 'certs']) await c.resource(NAMESPACES).create(undefined, { metadata: { name } });
    await c.resource(GATEWAY_CLASSES).create(undefined, { metadata: { name: 'k8ts' }, spec: { controllerName: 'k8ts.io/gateway-controller' } });
    const gateway: KubeObject = { metadata: { namespace: 'default', name: 'gw' }, spec: { gatewayClassName: 'k8ts', listeners: [
      httpsListener('site', { name: 'own' }), httpsListener('shared', { name: 'cross', port: 9443 }, 'certs'),
    ] } };
    defaultGateway(gateway);
    delete gateway.status;
    await c.resource(GATEWAYS).create('default', gateway);
    await c.resource(HTTP_ROUTES).create('default', { metadata: { namespace: 'default', name: 'r' }, spec: { parentRefs: [{ name: 'gw' }] } });
    await h.start();
  });

  afterEach(() => h.stop());

  const listenerConditions = async (): Promise<Record<string, string>> => {
    const gw = (await h.clients.resource(GATEWAYS).get('default', 'gw')) as unknown as Gateway;
    return Object.fromEntries((gw.status?.listeners ?? []).map((l) => [l.name, `${brief(l.conditions, 'ResolvedRefs')} ${brief(l.conditions, 'Programmed')} routes=${l.attachedRoutes}`]));
  };

  void it('follows Secrets and ReferenceGrants as they come and go', async () => {
    await h.drain();
    assert.deepEqual(await listenerConditions(), {
      own: 'False/InvalidCertificateRef False/Invalid routes=0', cross: 'False/RefNotPermitted False/Invalid routes=0',
    });
    const secrets = h.clients.resource(SECRETS);
    await secrets.create('default', tlsSecret('default', 'site', cert.certPem, cert.keyPem) as KubeObject);
    await secrets.create('certs', tlsSecret('certs', 'shared', cert.certPem, cert.keyPem) as KubeObject);
    await h.drain();
    assert.deepEqual(await listenerConditions(), {
      own: 'True/ResolvedRefs True/Programmed routes=1', cross: 'False/RefNotPermitted False/Invalid routes=0',
    });
    await h.clients.resource(REFERENCE_GRANTS).create('certs', gatewayGrant as unknown as KubeObject);
    await h.drain();
    assert.equal((await listenerConditions()).cross, 'True/ResolvedRefs True/Programmed routes=1');
    await secrets.delete('default', 'site');
    await h.drain();
    assert.equal((await listenerConditions()).own, 'False/InvalidCertificateRef False/Invalid routes=0');
  });

  void it('reports an HTTPS listener on a port another Gateway serves as HTTP as ProtocolConflict, until that one goes', async () => {
    await h.clients.resource(SECRETS).create('default', tlsSecret('default', 'site', cert.certPem, cert.keyPem) as KubeObject);
    await h.drain();
    assert.equal((await listenerConditions()).own, 'True/ResolvedRefs True/Programmed routes=1');
    const conflictedOwn = async (): Promise<string> => {
      const gw = (await h.clients.resource(GATEWAYS).get('default', 'gw')) as unknown as Gateway;
      return brief(gw.status?.listeners?.find((l) => l.name === 'own')?.conditions, 'Conflicted');
    };
    // The built-in gateway serves every Gateway on one address: port 8443 then speaks HTTP.
    const plain: KubeObject = { metadata: { namespace: 'default', name: 'plain' }, spec: { gatewayClassName: 'k8ts', listeners: [{ name: 'web', port: 8443, protocol: 'HTTP' }] } };
    defaultGateway(plain);
    delete plain.status;
    await h.clients.resource(GATEWAYS).create('default', plain);
    await h.drain();
    assert.equal(await conflictedOwn(), 'True/ProtocolConflict');
    assert.equal((await listenerConditions()).own, 'True/ResolvedRefs False/Invalid routes=0');
    assert.equal((await listenerConditions()).cross, 'False/RefNotPermitted False/Invalid routes=0', 'another port is not affected');
    await h.clients.resource(GATEWAYS).delete('default', 'plain');
    await h.drain();
    assert.equal(await conflictedOwn(), 'False/NoConflicts');
    assert.equal((await listenerConditions()).own, 'True/ResolvedRefs True/Programmed routes=1');
  });
});

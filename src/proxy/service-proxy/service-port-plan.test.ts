import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ep, slice, svc } from './proxy-test-objects.fixture.js';
import { buildServicePortPlans, DEFAULT_AFFINITY_TIMEOUT_SECONDS, endpointsFor, groupSlicesByService } from './service-port-plan.js';

const HTTP = { name: 'http', port: 80, protocol: 'TCP' };

describe('endpointsFor', () => {
  it('takes ready endpoints only, sorted by address, from every slice of the port', () => {
    const slices = [
      slice('web', [ep('10.88.1.10'), ep('10.88.1.3', { ready: false, serving: false, terminating: false })]),
      slice('web', [ep('10.88.1.2')], { name: 'web-2' }),
    ];
    assert.deepEqual(endpointsFor(slices, HTTP), [{ ip: '10.88.1.2', port: 8080 }, { ip: '10.88.1.10', port: 8080 }]);
  });

  it('falls back to serving terminating endpoints when none is ready, never to non-serving ones', () => {
    const slices = [slice('web', [
      ep('10.88.1.2', { ready: false, serving: true, terminating: true }),
      ep('10.88.1.3', { ready: false, serving: false, terminating: true }),
      ep('10.88.1.4', { ready: false, serving: false, terminating: false }),
    ])];
    assert.deepEqual(endpointsFor(slices, HTTP), [{ ip: '10.88.1.2', port: 8080 }]);
    const withReady = [...slices, slice('web', [ep('10.88.1.9')], { name: 'web-2' })];
    assert.deepEqual(endpointsFor(withReady, HTTP), [{ ip: '10.88.1.9', port: 8080 }]);
  });

  it('reads unset conditions as ready, and matches the slice port by name and protocol', () => {
    assert.deepEqual(endpointsFor([slice('web', [{ addresses: ['10.88.1.2'] }])], HTTP), [{ ip: '10.88.1.2', port: 8080 }]);
    assert.deepEqual(endpointsFor([slice('web', [ep('10.88.1.2')], { portName: 'metrics' })], HTTP), []);
    assert.deepEqual(endpointsFor([slice('web', [ep('10.88.1.2')])], { ...HTTP, protocol: 'UDP' }), []);
    assert.deepEqual(endpointsFor([slice('web', [ep('fd00::2')], { addressType: 'IPv6' })], HTTP), []);
  });

  it('lists an endpoint present in two slices once', () => {
    const slices = [slice('web', [ep('10.88.1.2')]), slice('web', [ep('10.88.1.2')], { name: 'web-2' })];
    assert.equal(endpointsFor(slices, HTTP).length, 1);
  });
});

describe('buildServicePortPlans', () => {
  const plansOf = (services: Parameters<typeof buildServicePortPlans>[0], slices = [slice('web', [ep('10.88.1.2')])]) =>
    buildServicePortPlans(services, groupSlicesByService(slices));

  it('one plan per port of a ClusterIP service, named namespace/name:port', () => {
    const [plan, ...rest] = plansOf([svc('web')]);
    assert.equal(rest.length, 0);
    assert.deepEqual(plan, {
      name: 'default/web:http', protocol: 'TCP', clusterIP: '10.43.0.10', port: 80, nodePort: 0, externalIPs: [],
      endpoints: [{ ip: '10.88.1.2', port: 8080 }],
    });
  });

  it('skips headless and ExternalName services', () => {
    assert.deepEqual(plansOf([svc('web', { clusterIP: 'None' }), svc('web', { type: 'ExternalName', externalName: 'example.org' })]), []);
  });

  it('node ports for NodePort and LoadBalancer, external IPs from the LB ingress and spec.externalIPs', () => {
    const ports = [{ name: 'http', port: 80, nodePort: 30080 }];
    assert.equal(plansOf([svc('web', { type: 'NodePort', ports })])[0]?.nodePort, 30080);
    const lb = plansOf([svc('web', { type: 'LoadBalancer', ports, externalIPs: ['192.0.2.9'] }, ['127.0.0.1'])])[0];
    assert.equal(lb?.nodePort, 30080);
    assert.deepEqual(lb?.externalIPs, ['127.0.0.1', '192.0.2.9']);
    // ingress on a service that is not a LoadBalancer (any more) is ignored
    assert.deepEqual(plansOf([svc('web', {}, ['127.0.0.1'])])[0]?.externalIPs, []);
  });

  it('ClientIP affinity with the configured or the default timeout', () => {
    assert.equal(plansOf([svc('web', { sessionAffinity: 'ClientIP' })])[0]?.affinityTimeoutSeconds, DEFAULT_AFFINITY_TIMEOUT_SECONDS);
    const configured = svc('web', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } });
    assert.equal(plansOf([configured])[0]?.affinityTimeoutSeconds, 60);
    assert.equal(plansOf([svc('web')])[0]?.affinityTimeoutSeconds, undefined);
  });

  it('an unnamed port is named namespace/name; a service without slices has no endpoints', () => {
    const plan = plansOf([svc('web', { ports: [{ port: 80 }] })], [slice('web', [ep('10.88.1.2')], { portName: '' })])[0];
    assert.equal(plan?.name, 'default/web');
    assert.deepEqual(plan?.endpoints, [{ ip: '10.88.1.2', port: 8080 }]);
    assert.deepEqual(plansOf([svc('other')])[0]?.endpoints, []);
  });
});

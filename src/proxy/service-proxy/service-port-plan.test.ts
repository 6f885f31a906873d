import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ep, slice, svc } from './proxy-test-objects.fixture.js';
import { buildServicePortPlans, DEFAULT_AFFINITY_TIMEOUT_SECONDS, endpointsFor, groupSlicesByService, SOURCE_RANGES_ANNOTATION } from './service-port-plan.js';

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

  it('node ports for NodePort and LoadBalancer, LB IPs from the ingress, external IPs from spec.externalIPs', () => {
    const ports = [{ name: 'http', port: 80, nodePort: 30080 }];
    assert.equal(plansOf([svc('web', { type: 'NodePort', ports })])[0]?.nodePort, 30080);
    const lb = plansOf([svc('web', { type: 'LoadBalancer', ports, externalIPs: ['192.0.2.9'] }, ['127.0.0.1'])])[0];
    assert.equal(lb?.nodePort, 30080);
    assert.deepEqual(lb?.externalIPs, ['192.0.2.9']);
    assert.deepEqual(lb?.loadBalancerIPs, ['127.0.0.1']);
    // ingress on a service that is not a LoadBalancer (any more) is ignored
    assert.equal(plansOf([svc('web', {}, ['127.0.0.1'])])[0]?.loadBalancerIPs, undefined);
  });

  it('traffic policy Local: the ready endpoints whose slice nodeName is this node', () => {
    const slices = [slice('web', [
      ep('10.88.1.2', undefined, 'node-a'), ep('10.88.1.3', undefined, 'node-b'),
      ep('10.88.1.4', { ready: false, serving: true, terminating: true }, 'node-a'), ep('10.88.1.5'),
    ])];
    const local = (spec: Parameters<typeof svc>[1], nodeName?: string) =>
      buildServicePortPlans([svc('web', spec)], groupSlicesByService(slices), nodeName === undefined ? {} : { nodeName })[0];
    const internal = local({ internalTrafficPolicy: 'Local' }, 'node-a');
    assert.equal(internal?.internalLocal, true);
    assert.equal(internal?.externalLocal, undefined);
    assert.deepEqual(internal?.localEndpoints, [{ ip: '10.88.1.2', port: 8080 }]);
    assert.equal(internal?.endpoints.length, 3, 'the cluster-wide list keeps every ready endpoint');
    const ports = [{ name: 'http', port: 80, nodePort: 30080 }];
    const external = local({ type: 'NodePort', ports, externalTrafficPolicy: 'Local' }, 'node-b');
    assert.equal(external?.externalLocal, true);
    assert.deepEqual(external?.localEndpoints, [{ ip: '10.88.1.3', port: 8080 }]);
    // none ready on the node: its serving terminating ones, as for the cluster-wide list
    const terminating = [slice('web', [ep('10.88.1.4', { ready: false, serving: true, terminating: true }, 'node-a'), ep('10.88.1.3', undefined, 'node-b')])];
    const onA = buildServicePortPlans([svc('web', { internalTrafficPolicy: 'Local' })], groupSlicesByService(terminating), { nodeName: 'node-a' })[0];
    assert.deepEqual(onA?.localEndpoints, [{ ip: '10.88.1.4', port: 8080 }]);
    // an unknown node name has no local endpoints; Cluster policies carry no local list
    assert.deepEqual(local({ internalTrafficPolicy: 'Local' })?.localEndpoints, []);
    assert.equal(local({ internalTrafficPolicy: 'Cluster' }, 'node-a')?.localEndpoints, undefined);
  });

  it('loadBalancerSourceRanges (or the legacy annotation) normalised, only for LoadBalancer; the node admitted when a range holds its address', () => {
    const ports = [{ name: 'http', port: 80, nodePort: 30080 }];
    const lb = (extra: Parameters<typeof svc>[1], nodeIPs: string[] = []) =>
      buildServicePortPlans([svc('web', { type: 'LoadBalancer', ports, ...extra }, ['192.0.2.2'])], groupSlicesByService([]), { nodeIPs })[0];
    const plan = lb({ loadBalancerSourceRanges: [' 198.51.100.7/24', '203.0.113.9/32', 'fd00::/8', 'junk'] }, ['192.0.2.2']);
    assert.deepEqual(plan?.loadBalancerSourceRanges, ['198.51.100.0/24', '203.0.113.9/32']);
    assert.equal(plan?.sourceRangesAllowNode, undefined);
    assert.equal(lb({ loadBalancerSourceRanges: ['192.0.2.0/24'] }, ['192.0.2.2'])?.sourceRangesAllowNode, true);
    const annotated = svc('web', { type: 'LoadBalancer', ports }, ['192.0.2.2']);
    annotated.metadata = { ...annotated.metadata, annotations: { [SOURCE_RANGES_ANNOTATION]: '10.0.0.0/8, 172.16.0.0/12' } };
    assert.deepEqual(buildServicePortPlans([annotated], new Map())[0]?.loadBalancerSourceRanges, ['10.0.0.0/8', '172.16.0.0/12']);
    assert.equal(plansOf([svc('web', { type: 'NodePort', ports, loadBalancerSourceRanges: ['10.0.0.0/8'] })])[0]?.loadBalancerSourceRanges, undefined);
  });

  it('healthCheckNodePort only for LoadBalancer with externalTrafficPolicy Local', () => {
    const ports = [{ name: 'http', port: 80, nodePort: 30080 }];
    assert.equal(plansOf([svc('web', { type: 'LoadBalancer', ports, externalTrafficPolicy: 'Local', healthCheckNodePort: 30090 })])[0]?.healthCheckNodePort, 30090);
    assert.equal(plansOf([svc('web', { type: 'LoadBalancer', ports, externalTrafficPolicy: 'Cluster', healthCheckNodePort: 30090 })])[0]?.healthCheckNodePort, undefined);
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

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../object.js';
import { admitService, defaultService as defaultsOnly } from './service.js';

/** What the registry runs: defaults, then (once managedFields are recorded) the REST storage's part. */
function defaultService(obj: KubeObject): void {
  defaultsOnly(obj);
  admitService(obj);
}

function service(spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec };
}

test('ClusterIP service defaults', () => {
  const obj = service({ selector: { app: 'web' }, ports: [{ port: 80 }, { port: 443, targetPort: 'https', protocol: 'TCP' }] });
  defaultService(obj);
  assert.deepEqual(obj.spec, {
    selector: { app: 'web' },
    ports: [
      { port: 80, protocol: 'TCP', targetPort: 80 },
      { port: 443, targetPort: 'https', protocol: 'TCP' },
    ],
    type: 'ClusterIP',
    sessionAffinity: 'None',
    internalTrafficPolicy: 'Cluster',
    ipFamilyPolicy: 'SingleStack',
    ipFamilies: ['IPv4'],
  });
  assert.deepEqual(obj.status, { loadBalancer: {} });
});

test('NodePort and LoadBalancer get externalTrafficPolicy; LB allocates node ports', () => {
  const nodePort = service({ type: 'NodePort', ports: [{ port: 80 }] });
  defaultService(nodePort);
  assert.equal((nodePort.spec as Record<string, unknown>).externalTrafficPolicy, 'Cluster');
  const lb = service({ type: 'LoadBalancer', ports: [{ port: 80 }] });
  defaultService(lb);
  assert.equal((lb.spec as Record<string, unknown>).allocateLoadBalancerNodePorts, true);
});

test('ExternalName gets no traffic policy or ip families; ClientIP gets its timeout', () => {
  const ext = service({ type: 'ExternalName', externalName: 'example.com' });
  defaultService(ext);
  const spec = ext.spec as Record<string, unknown>;
  assert.equal(spec.internalTrafficPolicy, undefined);
  assert.equal(spec.ipFamilies, undefined);
  const sticky = service({ sessionAffinity: 'ClientIP', ports: [{ port: 80 }] });
  defaultService(sticky);
  assert.deepEqual((sticky.spec as Record<string, unknown>).sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
});

test('the ip-family fields come from the REST storage step, not defaulting', () => {
  const obj = service({ ports: [{ port: 80 }] });
  defaultsOnly(obj);
  assert.equal((obj.spec as Record<string, unknown>).ipFamilies, undefined);
  admitService(obj);
  assert.deepEqual((obj.spec as Record<string, unknown>).ipFamilies, ['IPv4']);
});

test('clusterIP and clusterIPs are kept in step', () => {
  const obj = service({ clusterIP: 'None', ports: [] });
  defaultService(obj);
  assert.deepEqual((obj.spec as Record<string, unknown>).clusterIPs, ['None']);
  const other = service({ clusterIPs: ['10.0.0.9'], ports: [{ port: 80 }] });
  defaultService(other);
  assert.equal((other.spec as Record<string, unknown>).clusterIP, '10.0.0.9');
});

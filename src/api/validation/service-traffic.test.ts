import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admitService, defaultService } from '../defaults/service.js';
import { formatFieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { validateService } from './service.js';
import { isSloppyCidr, SOURCE_RANGES_ANNOTATION } from './service-traffic.js';

function service(spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject {
  const obj: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', ...(annotations ? { annotations } : {}) }, spec };
  defaultService(obj);
  admitService(obj);
  return obj;
}
const messages = (obj: KubeObject, old?: KubeObject): string[] => validateService(obj, old).map(formatFieldError);
const ports = [{ port: 80, nodePort: 30080 }];

test('traffic policies: defaults pass, Local accepted on every type that has them', () => {
  assert.deepEqual(messages(service({ ports: [{ port: 80 }], internalTrafficPolicy: 'Local' })), []);
  assert.deepEqual(messages(service({ type: 'NodePort', ports, externalTrafficPolicy: 'Local', internalTrafficPolicy: 'Local' })), []);
  assert.deepEqual(messages(service({ type: 'LoadBalancer', ports, externalTrafficPolicy: 'Local', healthCheckNodePort: 30081 })), []);
  assert.deepEqual(messages(service({ ports: [{ port: 80 }], externalIPs: ['192.0.2.9'], externalTrafficPolicy: 'Local' })), []);
});

test('externalTrafficPolicy only for externally-accessible services, and then required', () => {
  assert.deepEqual(messages(service({ ports: [{ port: 80 }], externalTrafficPolicy: 'Local' })), [
    'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
  ]);
  const nodePort = service({ type: 'NodePort', ports });
  delete (nodePort.spec as Record<string, unknown>).externalTrafficPolicy;
  assert.deepEqual(messages(nodePort), ['spec.externalTrafficPolicy: Required value']);
  assert.deepEqual(messages(service({ type: 'NodePort', ports, externalTrafficPolicy: 'Global' })), [
    'spec.externalTrafficPolicy: Unsupported value: "Global": supported values: "Cluster", "Local"',
  ]);
});

test('internalTrafficPolicy: required on ClusterIP/NodePort/LoadBalancer, Cluster or Local', () => {
  const obj = service({ ports: [{ port: 80 }] });
  delete (obj.spec as Record<string, unknown>).internalTrafficPolicy;
  assert.deepEqual(messages(obj), ['spec.internalTrafficPolicy: Required value: must specify a valid internalTrafficPolicy value']);
  assert.deepEqual(messages(service({ ports: [{ port: 80 }], internalTrafficPolicy: 'Nearby' })), [
    'spec.internalTrafficPolicy: Unsupported value: "Nearby": supported values: "Cluster", "Local"',
  ]);
});

test('healthCheckNodePort only with LoadBalancer + Local, a valid port, immutable while needed', () => {
  assert.deepEqual(messages(service({ type: 'LoadBalancer', ports, healthCheckNodePort: 30081 })), [
    "spec.healthCheckNodePort: Invalid value: 30081: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
  ]);
  assert.deepEqual(messages(service({ type: 'LoadBalancer', ports, externalTrafficPolicy: 'Local', healthCheckNodePort: 70000 })), [
    'spec.healthCheckNodePort: Invalid value: 70000: must be between 1 and 65535, inclusive',
  ]);
  const old = service({ type: 'LoadBalancer', ports, externalTrafficPolicy: 'Local', healthCheckNodePort: 30081 });
  const changed = service({ type: 'LoadBalancer', ports, externalTrafficPolicy: 'Local', healthCheckNodePort: 30082 });
  assert.deepEqual(messages(changed, old), ['spec.healthCheckNodePort: Forbidden: field is immutable']);
  assert.deepEqual(messages(old, old), []);
});

test('loadBalancerSourceRanges: LoadBalancer only, CIDRs (blank-padded allowed), upstream\'s capitalised path', () => {
  assert.deepEqual(messages(service({ type: 'LoadBalancer', ports, loadBalancerSourceRanges: [' 10.0.0.0/8', '2001:db8::/64', '192.0.2.7/32'] })), []);
  assert.deepEqual(messages(service({ type: 'LoadBalancer', ports, loadBalancerSourceRanges: ['10.0.0.0', '10.0.0.0/33', 'x/8'] })), [
    'spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    'spec.LoadBalancerSourceRanges[1]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    'spec.LoadBalancerSourceRanges[2]: Invalid value: "x/8": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
  ]);
  assert.deepEqual(messages(service({ type: 'NodePort', ports, loadBalancerSourceRanges: ['10.0.0.0/8'] })), [
    "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
  ]);
});

test('the legacy source-ranges annotation is checked when the field is empty', () => {
  assert.deepEqual(messages(service({ type: 'LoadBalancer', ports }, { [SOURCE_RANGES_ANNOTATION]: '10.0.0.0/8, 172.16.0.0/12' })), []);
  assert.deepEqual(messages(service({ type: 'LoadBalancer', ports }, { [SOURCE_RANGES_ANNOTATION]: '10.0.0.0/8,nope' })), [
    `metadata.annotations[${SOURCE_RANGES_ANNOTATION}]: Invalid value: "nope": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`,
  ]);
  assert.deepEqual(messages(service({ type: 'NodePort', ports }, { [SOURCE_RANGES_ANNOTATION]: '10.0.0.0/8' })), [
    `metadata.annotations[${SOURCE_RANGES_ANNOTATION}]: Forbidden: may only be used when \`type\` is 'LoadBalancer'`,
  ]);
});

test('isSloppyCidr: Go ParseCIDRSloppy\'s leniency (leading zeros), nothing more', () => {
  assert.ok(isSloppyCidr('010.0.0.0/8'));
  assert.ok(isSloppyCidr('10.0.0.1/8'));
  assert.ok(!isSloppyCidr('10.0.0.256/8'));
  assert.ok(!isSloppyCidr('fd00::/129'));
  assert.ok(!isSloppyCidr('10.0.0.0/'));
});

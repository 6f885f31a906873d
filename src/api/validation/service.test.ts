import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { admitService, defaultService } from '../defaults/service.js';
import { validateService } from './service.js';

function service(spec: Record<string, unknown>, name = 'web'): KubeObject {
  const obj: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec };
  defaultService(obj);
  admitService(obj);
  return obj;
}
const messages = (obj: KubeObject, old?: KubeObject): string[] => validateService(obj, old).map(formatFieldError);

test('valid ClusterIP, headless and ExternalName services', () => {
  assert.deepEqual(messages(service({ selector: { app: 'web' }, ports: [{ port: 80 }] })), []);
  assert.deepEqual(messages(service({ clusterIP: 'None', selector: { app: 'db' } })), []);
  assert.deepEqual(messages(service({ type: 'ExternalName', externalName: 'db.example.com.' })), []);
});

test('service names are DNS-1035 labels', () => {
  assert.deepEqual(messages(service({ ports: [{ port: 80 }] }, '1web')), [
    "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  ]);
});

test('ports: required, range, protocol, names when several, duplicates', () => {
  assert.deepEqual(messages(service({ selector: { app: 'web' } })), ['spec.ports: Required value']);
  assert.deepEqual(messages(service({ ports: [{ port: 0 }] })), [
    'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
  ]);
  assert.deepEqual(messages(service({ ports: [{ port: 80, protocol: 'ICMP' }] })), [
    'spec.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
  ]);
  assert.deepEqual(messages(service({ ports: [{ port: 80 }, { name: 'b', port: 81 }] })), ['spec.ports[0].name: Required value']);
  const dup = messages(service({ ports: [{ name: 'a', port: 80 }, { name: 'a', port: 80 }] }));
  assert.equal(dup[0], 'spec.ports[1].name: Duplicate value: "a"');
  assert.match(dup[1] ?? '', /^spec\.ports\[1\]: Duplicate value: core\.ServicePort\{.*Protocol:"TCP".*Port:80/);
});

test('type, selector labels, nodePort on ClusterIP, externalName', () => {
  assert.deepEqual(messages(service({ type: 'Ingress', ports: [{ port: 80 }] })), [
    'spec.type: Unsupported value: "Ingress": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
  ]);
  assert.match(messages(service({ selector: { app: 'a b' }, ports: [{ port: 80 }] }))[0] ?? '', /^spec\.selector: Invalid value: "a b": a valid label/);
  assert.deepEqual(messages(service({ ports: [{ port: 80, nodePort: 30080 }] })), [
    "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
  ]);
  assert.deepEqual(messages(service({ type: 'ExternalName' })), ['spec.externalName: Required value']);
});

test('cluster IP must be an IP and stays once set', () => {
  assert.deepEqual(messages(service({ clusterIP: '10.0.0.300', ports: [{ port: 80 }] })), [
    'spec.clusterIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
  ]);
  const old = service({ clusterIP: '10.96.0.10', ports: [{ port: 80 }] });
  assert.deepEqual(messages(service({ clusterIP: '10.96.0.10', ports: [{ port: 8080 }] }), old), []);
  assert.deepEqual(messages(service({ ports: [{ port: 80 }] }), old), [], 'empty means keep');
  assert.deepEqual(messages(service({ clusterIP: '10.96.0.11', ports: [{ port: 80 }] }), old), [
    'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set',
  ]);
});

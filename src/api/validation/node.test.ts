import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../field-error.js';
import { validateNode } from './node.js';

test('node names are subdomains; taints are checked', () => {
  assert.deepEqual(validateNode({ metadata: { name: 'worker-1.lab' }, spec: { taints: [{ key: 'a.io/b', effect: 'NoSchedule' }] } }), []);
  assert.match(formatFieldError(validateNode({ metadata: { name: 'Worker' } })[0]!), /^metadata\.name: Invalid value: "Worker": a lowercase RFC 1123 subdomain/);
  assert.deepEqual(validateNode({ metadata: { name: 'n' }, spec: { taints: [{ key: 'k', effect: 'Sometimes' }, { key: 'k', effect: '' }] } }).map(formatFieldError), [
    'spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    'spec.taints[1].effect: Required value',
  ]);
  assert.deepEqual(validateNode({ metadata: { name: 'n', namespace: 'x' } }).map(formatFieldError), ['metadata.namespace: Forbidden: not allowed on this type']);
});

test('podCIDR may not change once set', () => {
  const old = { metadata: { name: 'n' }, spec: { podCIDR: '10.244.1.0/24' } };
  assert.deepEqual(validateNode({ metadata: { name: 'n' }, spec: { podCIDR: '10.244.2.0/24' } }, old).map(formatFieldError), [
    'spec.podCIDR: Forbidden: node updates may not change podCIDR except from "" to valid',
  ]);
  assert.deepEqual(validateNode({ metadata: { name: 'n' }, spec: { podCIDR: '10.244.2.0/24' } }, { metadata: { name: 'n' } }), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../object.js';
import { defaultNamespace } from './namespace.js';

test('Namespace: name label, kubernetes finalizer, phase Active', () => {
  const obj: KubeObject = { metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'spoofed', x: 'y' } } };
  defaultNamespace(obj);
  assert.deepEqual(obj.metadata?.labels, { 'kubernetes.io/metadata.name': 'team-a', x: 'y' });
  assert.deepEqual(obj.spec, { finalizers: ['kubernetes'] });
  assert.deepEqual(obj.status, { phase: 'Active' });
  const terminating: KubeObject = { metadata: { name: 'b' }, spec: { finalizers: [] }, status: { phase: 'Terminating' } };
  defaultNamespace(terminating);
  assert.deepEqual(terminating.spec, { finalizers: [] });
  assert.deepEqual(terminating.status, { phase: 'Terminating' });
});

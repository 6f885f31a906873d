import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../object.js';
import { defaultNode } from './node.js';

test('Node: allocatable defaults to capacity', () => {
  const node: KubeObject = { metadata: { name: 'n1' }, status: { capacity: { cpu: '4', memory: '8Gi' } } };
  defaultNode(node);
  assert.deepEqual((node.status as Record<string, unknown>).allocatable, { cpu: '4', memory: '8Gi' });
});

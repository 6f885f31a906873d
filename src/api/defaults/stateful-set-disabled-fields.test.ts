import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../object.js';
import { dropDisabledStatefulSetFields } from './stateful-set-disabled-fields.js';

function statefulSet(rollingUpdate: Record<string, unknown>): KubeObject {
  return { metadata: { name: 'web' }, spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate } } };
}
const rollingUpdateOf = (obj: KubeObject) => (obj['spec'] as { updateStrategy: { rollingUpdate: unknown } }).updateStrategy.rollingUpdate;

test('maxUnavailable (alpha in 1.32) is dropped from a create and from an update of an object without it', () => {
  const created = statefulSet({ partition: 1, maxUnavailable: 2 });
  dropDisabledStatefulSetFields(created);
  assert.deepEqual(rollingUpdateOf(created), { partition: 1 });
  const updated = statefulSet({ partition: 0, maxUnavailable: '50%' });
  dropDisabledStatefulSetFields(updated, statefulSet({ partition: 0 }));
  assert.deepEqual(rollingUpdateOf(updated), { partition: 0 });
});

test('an object that already uses maxUnavailable keeps it on update', () => {
  const updated = statefulSet({ partition: 0, maxUnavailable: 3 });
  dropDisabledStatefulSetFields(updated, statefulSet({ partition: 0, maxUnavailable: 1 }));
  assert.deepEqual(rollingUpdateOf(updated), { partition: 0, maxUnavailable: 3 });
});

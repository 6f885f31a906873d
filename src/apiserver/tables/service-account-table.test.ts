import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serviceAccountTable } from './service-account-table.js';

void describe('serviceAccountTable', () => {
  void it('renders NAME SECRETS AGE', () => {
    assert.deepEqual(serviceAccountTable.columns.map((c) => c.name), ['Name', 'Secrets', 'Age']);
    const now = new Date('2024-05-01T12:00:00Z');
    assert.deepEqual(serviceAccountTable.cells({ metadata: { name: 'default', creationTimestamp: '2024-05-01T11:00:00Z' } }, now), ['default', 0, '60m']);
    assert.equal(serviceAccountTable.cells({ metadata: { name: 'b' }, secrets: [{ name: 's' }] }, now)[1], 1);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leaseTable } from './lease-table.js';

void describe('leaseTable', () => {
  void it('renders NAME HOLDER AGE', () => {
    assert.deepEqual(leaseTable.columns.map((c) => c.name), ['Name', 'Holder', 'Age']);
    const lease = { metadata: { name: 'node-1', creationTimestamp: '2024-05-01T11:00:00Z' }, spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40 } };
    assert.deepEqual(leaseTable.cells(lease, new Date('2024-05-01T12:00:00Z')), ['node-1', 'node-1', '60m']);
    assert.equal(leaseTable.cells({ metadata: { name: 'x' }, spec: {} }, new Date())[1], '');
  });
});

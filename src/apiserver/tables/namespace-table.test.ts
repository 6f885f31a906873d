import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { namespaceTable } from './namespace-table.js';

void describe('namespaceTable', () => {
  void it('renders NAME STATUS AGE', () => {
    assert.deepEqual(namespaceTable.columns.map((c) => c.name), ['Name', 'Status', 'Age']);
    const ns = { metadata: { name: 'default', creationTimestamp: '2024-05-01T11:00:00Z' }, status: { phase: 'Terminating' } };
    assert.deepEqual(namespaceTable.cells(ns, new Date('2024-05-01T12:00:00Z')), ['default', 'Terminating', '60m']);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secretTable } from './secret-table.js';

void describe('secretTable', () => {
  void it('renders NAME TYPE DATA AGE', () => {
    assert.deepEqual(secretTable.columns.map((c) => c.name), ['Name', 'Type', 'Data', 'Age']);
    const secret = {
      metadata: { name: 'tls', creationTimestamp: '2024-05-01T11:00:00Z' },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': 'AA==', 'tls.key': 'AA==' },
      stringData: { 'tls.key': 'x', extra: 'y' },
    };
    assert.deepEqual(secretTable.cells(secret, new Date('2024-05-01T12:00:00Z')), ['tls', 'kubernetes.io/tls', 3, '60m']);
  });
});

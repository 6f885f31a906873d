import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configMapTable } from './config-map-table.js';

void describe('configMapTable', () => {
  void it('renders NAME DATA AGE, counting data and binaryData', () => {
    assert.deepEqual(configMapTable.columns.map((c) => c.name), ['Name', 'Data', 'Age']);
    const cm = { metadata: { name: 'cfg', creationTimestamp: '2024-05-01T11:59:00Z' }, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } };
    assert.deepEqual(configMapTable.cells(cm, new Date('2024-05-01T12:00:00Z')), ['cfg', 3, '60s']);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { priorityClassTable } from './priority-class-table.js';

void describe('priorityClassTable', () => {
  void it('renders NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY', () => {
    assert.deepEqual(priorityClassTable.columns.map((c) => c.name), ['Name', 'Value', 'Global-Default', 'Age', 'PreemptionPolicy']);
    const pc = { metadata: { name: 'high', creationTimestamp: '2024-05-01T11:00:00Z' }, value: 1000, preemptionPolicy: 'Never' };
    assert.deepEqual(priorityClassTable.cells(pc, new Date('2024-05-01T12:00:00Z')), ['high', 1000, false, '60m', 'Never']);
    assert.deepEqual(priorityClassTable.cells({ metadata: { name: 'd' }, value: 5, globalDefault: true }, new Date()).slice(1, 3), [5, true]);
  });
});

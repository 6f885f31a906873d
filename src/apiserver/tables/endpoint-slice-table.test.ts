import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { endpointSliceTable } from './endpoint-slice-table.js';

const now = new Date('2024-05-01T12:00:00Z');
const meta = { name: 'web', creationTimestamp: '2024-05-01T11:00:00Z' };

void describe('endpointSliceTable', () => {
  void it('has upstream columns', () => {
    assert.deepEqual(endpointSliceTable.columns.map((c) => c.name), ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age']);
  });

  void it('renders ports and addresses with the more-rule and <unset>', () => {
    const slice: KubeObject = {
      metadata: { ...meta, name: 'web-abc12' },
      addressType: 'IPv4',
      ports: [{ port: 80 }, { name: 'metrics' }, {}],
      endpoints: [{ addresses: ['10.0.0.1', '10.0.0.2'] }, { addresses: ['10.0.0.3'] }, { addresses: ['10.0.0.4'] }, { addresses: ['10.0.0.5'] }],
    };
    assert.deepEqual(endpointSliceTable.cells(slice, now), ['web-abc12', 'IPv4', '80,metrics,*', '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...', '60m']);
    const empty: KubeObject = { metadata: meta, addressType: 'IPv4', endpoints: [] };
    assert.deepEqual(endpointSliceTable.cells(empty, now).slice(2, 4), ['<unset>', '<unset>']);
  });
});

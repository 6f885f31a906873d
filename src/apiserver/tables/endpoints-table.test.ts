import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { endpointsTable } from './endpoints-table.js';

const now = new Date('2024-05-01T12:00:00Z');
const meta = { name: 'web', creationTimestamp: '2024-05-01T11:00:00Z' };

void describe('endpointsTable', () => {
  void it('has upstream columns', () => {
    assert.deepEqual(endpointsTable.columns.map((c) => c.name), ['Name', 'Endpoints', 'Age']);
  });

  void it('lists up to three endpoints, then counts the rest', () => {
    const ep: KubeObject = {
      metadata: meta,
      subsets: [
        { addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }] },
        { addresses: [{ ip: '10.0.0.3' }, { ip: 'fd00::4' }], ports: [{ port: 8080 }] },
      ],
    };
    assert.deepEqual(endpointsTable.cells(ep, now), ['web', '10.0.0.1:80,10.0.0.2:80,10.0.0.3:8080 + 1 more...', '60m']);
  });

  void it('prints bare IPs for port-less subsets, brackets IPv6, <none> without subsets', () => {
    const headless: KubeObject = { metadata: meta, subsets: [{ addresses: [{ ip: '10.0.0.1' }] }] };
    assert.equal(endpointsTable.cells(headless, now)[1], '10.0.0.1');
    const v6: KubeObject = { metadata: meta, subsets: [{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }] };
    assert.equal(endpointsTable.cells(v6, now)[1], '[fd00::1]:80');
    assert.equal(endpointsTable.cells({ metadata: meta }, now)[1], '<none>');
    assert.equal(endpointsTable.cells({ metadata: meta, subsets: [{ ports: [{ port: 80 }] }] }, now)[1], '');
  });
});

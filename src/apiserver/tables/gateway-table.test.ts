import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gatewayClassTable } from './gateway-class-table.js';
import { gatewayTable } from './gateway-table.js';
import { httpRouteTable } from './http-route-table.js';

const now = new Date('2025-01-01T00:01:00Z');
const metadata = { name: 'x', creationTimestamp: '2025-01-01T00:00:00Z' };

void describe('Gateway API tables (the CRDs\' printer columns)', () => {
  void it('GatewayClass: NAME CONTROLLER ACCEPTED AGE (+DESCRIPTION wide)', () => {
    assert.deepEqual(gatewayClassTable.columns.map((c) => [c.name, c.priority]),
      [['Name', 0], ['Controller', 0], ['Accepted', 0], ['Age', 0], ['Description', 1]]);
    const obj = { metadata, spec: { controllerName: 'k8ts.io/gateway-controller' }, status: { conditions: [{ type: 'Accepted', status: 'True' }] } };
    assert.deepEqual(gatewayClassTable.cells(obj, now), ['x', 'k8ts.io/gateway-controller', 'True', '60s', null]);
  });

  void it('Gateway: NAME CLASS ADDRESS PROGRAMMED AGE, first address, empty cells before status', () => {
    assert.deepEqual(gatewayTable.columns.map((c) => c.name), ['Name', 'Class', 'Address', 'Programmed', 'Age']);
    const obj = {
      metadata, spec: { gatewayClassName: 'k8ts' },
      status: { addresses: [{ value: '127.0.0.1' }, { value: '::1' }], conditions: [{ type: 'Accepted', status: 'True' }, { type: 'Programmed', status: 'False' }] },
    };
    assert.deepEqual(gatewayTable.cells(obj, now), ['x', 'k8ts', '127.0.0.1', 'False', '60s']);
    assert.deepEqual(gatewayTable.cells({ metadata, spec: { gatewayClassName: 'k8ts' } }, now), ['x', 'k8ts', null, null, '60s']);
  });

  void it('HTTPRoute: NAME HOSTNAMES AGE with hostnames as compact JSON', () => {
    assert.deepEqual(httpRouteTable.columns.map((c) => c.name), ['Name', 'Hostnames', 'Age']);
    assert.deepEqual(httpRouteTable.cells({ metadata, spec: { hostnames: ['a.example.com', 'b.example.com'] } }, now),
      ['x', '["a.example.com","b.example.com"]', '60s']);
    assert.deepEqual(httpRouteTable.cells({ metadata, spec: {} }, now), ['x', null, '60s']);
  });
});

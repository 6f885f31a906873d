import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../object.js';
import { defaultEndpointSlice } from './endpoint-slice.js';
import { defaultEndpoints } from './endpoints.js';

test('Endpoints and EndpointSlice ports default to TCP (slices also name "")', () => {
  const ep: KubeObject = { subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }, { port: 53, protocol: 'UDP' }] }] };
  defaultEndpoints(ep);
  assert.deepEqual((ep.subsets as { ports: unknown }[])[0]?.ports, [
    { port: 80, protocol: 'TCP' },
    { port: 53, protocol: 'UDP' },
  ]);
  const slice: KubeObject = { addressType: 'IPv4', endpoints: [], ports: [{ port: 80 }] };
  defaultEndpointSlice(slice);
  assert.deepEqual(slice.ports, [{ port: 80, name: '', protocol: 'TCP' }]);
});

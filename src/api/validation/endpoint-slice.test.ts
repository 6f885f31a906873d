import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../field-error.js';
import { validateEndpointSlice } from './endpoint-slice.js';

const meta = { name: 'web-abc', namespace: 'default' };

test('valid slice', () => {
  assert.deepEqual(
    validateEndpointSlice({ metadata: meta, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.5'], nodeName: 'n1' }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
    [],
  );
});

test('addressType, addresses, ports', () => {
  assert.deepEqual(validateEndpointSlice({ metadata: meta, endpoints: [] }).map(formatFieldError), ['addressType: Required value']);
  assert.deepEqual(validateEndpointSlice({ metadata: meta, addressType: 'IPX', endpoints: [] }).map(formatFieldError), [
    'addressType: Unsupported value: "IPX": supported values: "FQDN", "IPv4", "IPv6"',
  ]);
  assert.deepEqual(
    validateEndpointSlice({
      metadata: meta,
      addressType: 'IPv4',
      endpoints: [{ addresses: [] }, { addresses: ['::1'] }],
      ports: [{ name: 'a', protocol: 'TCP' }, { name: 'a', protocol: 'ICMP' }],
    }).map(formatFieldError),
    [
      'endpoints[0].addresses: Required value: must contain at least 1 address',
      'endpoints[1].addresses[0]: Invalid value: "::1": must be a valid IPv4 address',
      'ports[1].name: Duplicate value: "a"',
      'ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    ],
  );
});

test('addressType is immutable', () => {
  const old = { metadata: meta, addressType: 'IPv4', endpoints: [] };
  assert.deepEqual(validateEndpointSlice({ metadata: meta, addressType: 'IPv6', endpoints: [] }, old).map(formatFieldError), [
    'addressType: Invalid value: "IPv6": field is immutable',
  ]);
});

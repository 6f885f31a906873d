import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError } from '../field-error.js';
import { validateEndpoints } from './endpoints.js';

const meta = { name: 'web', namespace: 'default' };

test('valid endpoints', () => {
  assert.deepEqual(validateEndpoints({ metadata: meta, subsets: [{ addresses: [{ ip: '10.0.0.5', nodeName: 'n1' }], ports: [{ port: 80, protocol: 'TCP' }] }] }), []);
  assert.deepEqual(validateEndpoints({ metadata: meta }), []);
});

test('subset problems', () => {
  assert.deepEqual(
    validateEndpoints({
      metadata: meta,
      subsets: [{ ports: [{ port: 80, protocol: 'TCP' }] }, { addresses: [{ ip: 'nope' }], ports: [{ port: 0, protocol: 'TCP' }, { name: 'b', port: 81, protocol: 'TCP' }] }],
    }).map(formatFieldError),
    [
      'subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`',
      'subsets[1].addresses[0].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      'subsets[1].ports[0].name: Required value',
      'subsets[1].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    ],
  );
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseGatewayFlags } from './gateway-flags.js';
import { parseServerFlags } from './server-flags.js';
import { UsageError } from './usage-error.js';

describe('gateway flags', () => {
  it('defaults to 127.0.0.1 with the admin endpoint on 9080', () => {
    assert.deepEqual(parseGatewayFlags({}), { address: '127.0.0.1', adminPort: 9080 });
  });

  it('reads address, admin port and workers, and --no-gateway turns it off', () => {
    assert.deepEqual(parseGatewayFlags({ 'gateway-address': '0.0.0.0', 'gateway-admin-port': '0', 'gateway-workers': '3' }), { address: '0.0.0.0', adminPort: 0, workers: 3 });
    assert.equal(parseGatewayFlags({ 'no-gateway': true }), undefined);
  });

  it('rejects bad values', () => {
    assert.throws(() => parseGatewayFlags({ 'gateway-address': 'localhost' }), UsageError);
    assert.throws(() => parseGatewayFlags({ 'gateway-admin-port': '70000' }), UsageError);
    assert.throws(() => parseGatewayFlags({ 'gateway-workers': '0' }), UsageError);
  });

  it('is part of the server flags', () => {
    assert.deepEqual(parseServerFlags(['--gateway-address', '127.0.0.2', '--gateway-admin-port', '9999'], {})?.gateway, { address: '127.0.0.2', adminPort: 9999 });
    assert.equal(parseServerFlags(['--no-gateway'], {})?.gateway, undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ipv4ToNumber, numberToIpv4, parsePortRange, parseServiceCidr, RangeSpecError } from './allocation-range.js';

describe('service CIDR', () => {
  it('excludes the network and broadcast addresses and starts at .1', () => {
    const range = parseServiceCidr('10.43.0.0/16');
    assert.equal(range.text, '10.43.0.0/16');
    assert.equal(range.size, 65534);
    assert.equal(range.valueAt(0), '10.43.0.1');
    assert.equal(range.valueAt(range.size - 1), '10.43.255.254');
    assert.equal(range.offsetOf('10.43.0.1'), 0);
    assert.equal(range.offsetOf('10.43.1.0'), 255);
    assert.equal(range.offsetOf('10.43.0.0'), undefined);
    assert.equal(range.offsetOf('10.43.255.255'), undefined);
    assert.equal(range.offsetOf('10.44.0.1'), undefined);
    assert.equal(range.offsetOf('not-an-ip'), undefined);
  });

  it('reserves a static band of min(max(16, size/16), 256) like upstream', () => {
    assert.equal(parseServiceCidr('10.43.0.0/16').staticSize, 256);
    assert.equal(parseServiceCidr('10.0.0.0/24').staticSize, 16);
    assert.equal(parseServiceCidr('10.0.0.0/22').staticSize, 64);
    assert.equal(parseServiceCidr('10.0.0.0/28').staticSize, 0);
  });

  it('masks host bits and prints upstream messages', () => {
    const range = parseServiceCidr('10.96.7.9/12');
    assert.equal(range.text, '10.96.0.0/12');
    assert.equal(range.notInRangeMessage('1.1.1.1'), 'the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12');
    assert.equal(range.allocatedMessage, 'provided IP is already allocated');
  });

  it('refuses what cannot be a service range', () => {
    for (const bad of ['10.0.0.0/8', '10.0.0.0/31', 'fd00::/112', '10.0.0/16', '300.1.1.1/16', '10.0.0.0']) {
      assert.throws(() => parseServiceCidr(bad), RangeSpecError, bad);
    }
  });

  it('converts addresses both ways', () => {
    assert.equal(ipv4ToNumber('255.255.255.255'), 2 ** 32 - 1);
    assert.equal(numberToIpv4(2 ** 32 - 1), '255.255.255.255');
    assert.equal(numberToIpv4(ipv4ToNumber('192.168.1.20') ?? 0), '192.168.1.20');
  });
});

describe('node port range', () => {
  it('covers both ends and has an 86-port static band by default', () => {
    const range = parsePortRange('30000-32767');
    assert.equal(range.size, 2768);
    assert.equal(range.staticSize, 86);
    assert.equal(range.offsetOf('30000'), 0);
    assert.equal(range.offsetOf('32767'), 2767);
    assert.equal(range.offsetOf('32768'), undefined);
    assert.equal(range.offsetOf('29999'), undefined);
    assert.equal(range.valueAt(80), '30080');
    assert.equal(range.notInRangeMessage('80'), 'provided port is not in the valid range. The range of valid ports is 30000-32767');
    assert.equal(range.allocatedMessage, 'provided port is already allocated');
  });

  it('accepts base+offset and single ports, refuses the rest', () => {
    assert.equal(parsePortRange('30000+10').text, '30000-30010');
    assert.equal(parsePortRange('31000').size, 1);
    for (const bad of ['0-10', '32000-31000', '30000-70000', 'a-b', '']) assert.throws(() => parsePortRange(bad), RangeSpecError, bad);
  });
});

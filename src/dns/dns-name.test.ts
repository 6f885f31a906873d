import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DnsFormatError } from './dns-format-error.js';
import { dnsNameKeyOf, nameToLabels, readDnsName, sameDnsName } from './dns-name.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('nameToLabels', () => {
  it('reads escapes and a trailing dot in names it writes', () => {
    assert.deepEqual(nameToLabels('a.b.').map(String), ['a', 'b']);
    assert.deepEqual(nameToLabels('a\\.b').map(String), ['a.b']);
    assert.deepEqual(nameToLabels('\\065\\\\.'), [Buffer.from('A\\')]);
    assert.deepEqual(nameToLabels(''), []);
    assert.throws(() => nameToLabels('a\\'), DnsFormatError);
    assert.throws(() => nameToLabels('\\300'), DnsFormatError);
    assert.throws(() => nameToLabels('a..b'), DnsFormatError);
    assert.throws(() => nameToLabels('x'.repeat(64)), DnsFormatError);
  });
});

describe('readDnsName', () => {
  it('gives where the message goes on: after the first pointer, or after the root label', () => {
    // "b" at 0, then "a" + pointer to 0 at 3.
    const message = hex('01 62 00  01 61 c0 00');
    assert.deepEqual(readDnsName(message, 0), { name: 'b', end: 3 });
    assert.deepEqual(readDnsName(message, 3), { name: 'a.b', end: 7 });
  });
});

describe('sameDnsName', () => {
  it('ignores ASCII case, a trailing dot and how a byte is written', () => {
    assert.equal(sameDnsName('DB.Example.com', 'db.example.com.'), true);
    assert.equal(sameDnsName('\\097.b', 'A.b'), true);
    assert.equal(sameDnsName('a.b', 'a.b.c'), false);
    assert.equal(sameDnsName('a\\.b', 'a.b'), false);
  });

  it('is false, and dnsNameKeyOf undefined, for a string that is no name', () => {
    assert.equal(sameDnsName('a..b', 'a..b'), false);
    assert.equal(dnsNameKeyOf('a..b'), undefined);
    assert.equal(dnsNameKeyOf(''), '');
  });
});

import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testCertificateAuthority, type IssuedCertificate } from '../../../test/helpers/tls-certificates.js';
import { PortCertificates } from './port-certificates.js';
import type { ListenerConfig, ListenerTls } from './route-table.js';

void describe('PortCertificates (SNI choice)', () => {
  let apex: IssuedCertificate;
  let wide: IssuedCertificate;
  let narrow: IssuedCertificate;
  let exact: IssuedCertificate;

  before(async () => {
    const ca = await testCertificateAuthority();
    apex = await ca.issue(['example.com']);
    wide = await ca.issue(['*.example.com']);
    narrow = await ca.issue(['*.test.example.com']);
    exact = await ca.issue(['a.test.example.com']);
  });

  const listener = (port: number, tls?: ListenerTls): ListenerConfig => ({ port, rules: [], ...(tls !== undefined ? { tls } : {}) });

  void it('prefers the exact hostname, then the longest wildcard, else the first certificate', () => {
    const certs = new PortCertificates();
    assert.deepEqual(certs.update([listener(8443, {
      certificates: [
        { hostname: 'example.com', ...apex },
        { hostname: '*.example.com', ...wide },
        { hostname: '*.test.example.com', ...narrow },
        { hostname: 'a.test.example.com', ...exact },
      ],
    }), listener(8080)]), []);
    const apexContext = certs.select(8443, 'example.com');
    const wideContext = certs.select(8443, 'x.example.com');
    const narrowContext = certs.select(8443, 'b.test.example.com');
    const exactContext = certs.select(8443, 'A.Test.Example.com');
    assert.ok(apexContext && wideContext && narrowContext && exactContext);
    assert.equal(new Set([apexContext, wideContext, narrowContext, exactContext]).size, 4, 'four distinct certificates');
    assert.equal(certs.select(8443, 'deep.x.example.com'), wideContext, 'a wildcard covers several labels');
    assert.equal(certs.select(8443, 'test.example.com'), wideContext, '*.test.example.com does not cover test.example.com');
    assert.equal(certs.select(8443, 'other.org'), apexContext, 'nothing matches: the first (default) certificate');
    assert.equal(certs.fallbackCertificate(8443)?.certPem, apex.certPem);
    assert.equal(certs.isSecure(8443), true);
    assert.equal(certs.isSecure(8080), false);
    assert.equal(certs.select(8080, 'example.com'), undefined);
  });

  void it('keeps the contexts of unchanged certificates across tables and drops a port that is no longer HTTPS', () => {
    const certs = new PortCertificates();
    certs.update([listener(8443, { certificates: [{ ...apex }, { hostname: 'x.example.com', ...wide }] })]);
    const kept = certs.select(8443, 'x.example.com');
    certs.update([listener(8443, { certificates: [{ ...narrow }, { hostname: 'x.example.com', ...wide }] })]);
    assert.equal(certs.select(8443, 'x.example.com'), kept);
    assert.equal(certs.fallbackCertificate(8443)?.certPem, narrow.certPem);
    certs.update([listener(8443)]);
    assert.equal(certs.isSecure(8443), false);
  });

  void it('skips a certificate it cannot load, naming only the port and hostname', () => {
    const certs = new PortCertificates();
    const failed = certs.update([listener(8443, { certificates: [{ hostname: 'bad.test', certPem: apex.certPem, keyPem: wide.keyPem }, { ...apex }] })]);
    assert.deepEqual(failed, [{ port: 8443, hostname: 'bad.test' }]);
    assert.equal(certs.fallbackCertificate(8443)?.certPem, apex.certPem);
  });
});

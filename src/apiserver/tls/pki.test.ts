import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FakeClock } from '../../lib/clock.js';
import { ensureAdminToken } from './admin-token.js';
import { ensurePki } from './pki.js';

describe('ensurePki', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-pki-'));
  after(() => rm(dir, { recursive: true, force: true }));
  const clock = new FakeClock({ start: new Date() });
  const pkiDir = join(dir, 'pki');

  it('creates a CA and a serving certificate it signed, covering loopback and the given hosts', async () => {
    const pki = await ensurePki({ dir: pkiDir, hosts: ['my-host', '10.1.2.3'], clock });
    const ca = new X509Certificate(pki.caCert);
    const serving = new X509Certificate(pki.cert);
    assert.equal(ca.ca, true);
    assert.equal(serving.verify(ca.publicKey), true);
    assert.equal(serving.checkHost('localhost'), 'localhost');
    assert.equal(serving.checkHost('my-host'), 'my-host');
    assert.equal(serving.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(serving.checkIP('::1'), '::1');
    assert.equal(serving.checkIP('10.1.2.3'), '10.1.2.3');
    assert.equal(serving.checkIP('10.9.9.9'), undefined);
    assert.equal(serving.checkPrivateKey((await import('node:crypto')).createPrivateKey(pki.key)), true);
    for (const key of ['ca.key', 'server.key']) assert.equal((await stat(join(pkiDir, key))).mode & 0o777, 0o600, key);
  });

  it('reuses the files on the next start, and re-issues only the serving cert for a new host', async () => {
    const first = await ensurePki({ dir: pkiDir, hosts: ['my-host', '10.1.2.3'], clock });
    const again = await ensurePki({ dir: pkiDir, hosts: ['my-host'], clock });
    assert.equal(again.cert, first.cert);
    assert.equal(again.caCert, first.caCert);
    const widened = await ensurePki({ dir: pkiDir, hosts: ['my-host', '192.168.7.7'], clock });
    assert.equal(widened.caCert, first.caCert);
    assert.notEqual(widened.cert, first.cert);
    assert.equal(new X509Certificate(widened.cert).checkIP('192.168.7.7'), '192.168.7.7');
    assert.equal(await readFile(join(pkiDir, 'server.crt'), 'utf8'), widened.cert);
  });

  it('renews the serving certificate when it nears expiry', async () => {
    const before = await ensurePki({ dir: pkiDir, hosts: [], clock });
    clock.advance(340 * 24 * 60 * 60 * 1000);
    const after = await ensurePki({ dir: pkiDir, hosts: [], clock });
    assert.notEqual(after.cert, before.cert);
    assert.equal(after.caCert, before.caCert);
  });

  it('creates a 0600 admin token once and reuses it', async () => {
    const path = join(dir, 'token');
    const token = await ensureAdminToken(path);
    assert.match(token, /^[0-9a-f]{64}$/);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal(await ensureAdminToken(path), token);
  });
});

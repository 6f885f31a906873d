import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ensureServiceAccountKey } from './service-account-key.js';

describe('ensureServiceAccountKey', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('creates sa.key (0600) and sa.pub once, and loads the same key afterwards', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-sa-key-'));
    dirs.push(dir);
    const pki = join(dir, 'pki');
    const first = await ensureServiceAccountKey(pki);
    assert.equal(first.privateKey.asymmetricKeyType, 'rsa');
    assert.equal((await stat(join(pki, 'sa.key'))).mode & 0o777, 0o600);
    assert.ok((await stat(join(pki, 'sa.pub'))).isFile());
    const again = await ensureServiceAccountKey(pki);
    const der = (key: typeof first) => key.publicKey.export({ type: 'spki', format: 'der' }).toString('hex');
    assert.equal(der(again), der(first));
  });
});

// The ServiceAccount token signing key: an RSA key pair generated on first start and kept as
// DATA_DIR/pki/sa.key (0600) and sa.pub, the names kubeadm uses. It must survive restarts like the
// CA does: a new key would invalidate every token handed out before (CI jobs, dashboards).
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readFileIfExists } from '../../lib/read-file-if-exists.js';
import { writeFileAtomic } from '../../lib/write-file-atomic.js';

export interface ServiceAccountKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** Loads DATA_DIR/pki/sa.key, creating it (and sa.pub) when absent. `dir` is DATA_DIR/pki. */
export async function ensureServiceAccountKey(dir: string): Promise<ServiceAccountKey> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keyPath = join(dir, 'sa.key');
  const existing = await readFileIfExists(keyPath);
  if (existing !== undefined) {
    const privateKey = createPrivateKey(existing);
    return { privateKey, publicKey: createPublicKey(privateKey) };
  }
  // RSA 2048 signing RS256, what upstream's service-account signer does with kubeadm's sa.key.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  await writeFileAtomic(keyPath, privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), 0o600);
  await writeFileAtomic(join(dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }).toString(), 0o644);
  return { privateKey, publicKey };
}

// The cluster's certificates: a private CA and a serving certificate signed by it, generated on
// first start under DATA_DIR/pki and reused afterwards (the kubeconfig embeds the CA, so a new CA
// on every start would break every kubeconfig handed out before).
//
// Keys come from node:crypto (native, fast); node-forge only assembles and signs the X.509
// structures, which node:crypto cannot build.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import forge from 'node-forge';
import type { Clock } from '../../lib/clock.js';
import { readFileIfExists } from '../../lib/read-file-if-exists.js';
import { writeFileAtomic } from '../../lib/write-file-atomic.js';

export interface ServingPki {
  /** PEM of the CA certificate (what clients trust). */
  readonly caCert: string;
  /** PEM of the serving certificate and its private key. */
  readonly cert: string;
  readonly key: string;
}

export interface EnsurePkiOptions {
  /** DATA_DIR/pki. */
  readonly dir: string;
  /** DNS names and IP addresses the serving certificate must cover (localhost etc. are always added). */
  readonly hosts: readonly string[];
  readonly clock: Clock;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const CA_LIFETIME_DAYS = 3650;
const SERVING_LIFETIME_DAYS = 365;
/** Renew the serving certificate when it has less than this left. */
const RENEW_BEFORE_DAYS = 30;
const ALWAYS_COVERED = ['localhost', '127.0.0.1', '::1'];

interface KeyPair {
  readonly privateKey: forge.pki.rsa.PrivateKey;
  readonly publicKey: forge.pki.rsa.PublicKey;
  readonly pem: string;
}

function generateRsaKey(): KeyPair {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey);
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), pem: privateKey };
}

function serialNumber(): string {
  // Positive (high bit clear) 16-byte serial, as RFC 5280 asks.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

function createCa(clock: Clock): { cert: forge.pki.Certificate; certPem: string; keyPem: string; key: KeyPair } {
  const key = generateRsaKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = key.publicKey;
  cert.serialNumber = serialNumber();
  const now = clock.now();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + CA_LIFETIME_DAYS * DAY_MS);
  const subject = [{ name: 'commonName', value: 'k8ts-ca' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key.privateKey, forge.md.sha256.create());
  return { cert, certPem: forge.pki.certificateToPem(cert), keyPem: key.pem, key };
}

function createServingCert(
  ca: { cert: forge.pki.Certificate; privateKey: forge.pki.rsa.PrivateKey },
  hosts: readonly string[],
  clock: Clock,
): { certPem: string; keyPem: string } {
  const key = generateRsaKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = key.publicKey;
  cert.serialNumber = serialNumber();
  const now = clock.now();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + SERVING_LIFETIME_DAYS * DAY_MS);
  cert.setSubject([{ name: 'commonName', value: 'k8ts-apiserver' }]);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      // type 2 = dNSName, 7 = iPAddress (forge encodes the textual address).
      altNames: hosts.map((host) => (isIP(host) ? { type: 7, ip: host } : { type: 2, value: host })),
    },
  ]);
  cert.sign(ca.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: key.pem };
}

/** The SANs a certificate covers, normalised like our input (IPs as text). */
export function subjectAltNames(certPem: string): string[] {
  const cert = forge.pki.certificateFromPem(certPem);
  const extension = cert.getExtension('subjectAltName') as { altNames?: { type: number; value?: string; ip?: string }[] } | undefined;
  return (extension?.altNames ?? []).map((name) => (name.type === 7 ? (name.ip ?? '') : (name.value ?? '')));
}

function normaliseHost(host: string): string {
  // forge prints IPv6 addresses in full form; compare through a canonical form.
  if (isIP(host) === 6) return new URL(`http://[${host}]/`).hostname.slice(1, -1);
  return host.toLowerCase();
}

function servingCertIsUsable(certPem: string, hosts: readonly string[], clock: Clock): boolean {
  const cert = forge.pki.certificateFromPem(certPem);
  if (cert.validity.notAfter.getTime() - clock.now().getTime() < RENEW_BEFORE_DAYS * DAY_MS) return false;
  const covered = new Set(subjectAltNames(certPem).map(normaliseHost));
  return hosts.every((host) => covered.has(normaliseHost(host)));
}

/**
 * Loads DATA_DIR/pki, creating what is missing: the CA only when absent; the serving certificate
 * when absent, near expiry, or not covering every requested host (e.g. a new --advertise-address).
 */
export async function ensurePki(options: EnsurePkiOptions): Promise<ServingPki> {
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const paths = {
    caCert: join(options.dir, 'ca.crt'),
    caKey: join(options.dir, 'ca.key'),
    cert: join(options.dir, 'server.crt'),
    key: join(options.dir, 'server.key'),
  };
  const hosts = [...new Set([...ALWAYS_COVERED, ...options.hosts].filter((host) => host !== ''))];

  let caCertPem = await readFileIfExists(paths.caCert);
  let caKeyPem = await readFileIfExists(paths.caKey);
  let regenerateServing = false;
  if (caCertPem === undefined || caKeyPem === undefined) {
    const ca = createCa(options.clock);
    caCertPem = ca.certPem;
    caKeyPem = ca.keyPem;
    await writeFileAtomic(paths.caKey, caKeyPem, 0o600);
    await writeFileAtomic(paths.caCert, caCertPem, 0o644);
    regenerateServing = true;
  }

  let certPem = await readFileIfExists(paths.cert);
  let keyPem = await readFileIfExists(paths.key);
  if (regenerateServing || certPem === undefined || keyPem === undefined || !servingCertIsUsable(certPem, hosts, options.clock)) {
    const ca = { cert: forge.pki.certificateFromPem(caCertPem), privateKey: forge.pki.privateKeyFromPem(caKeyPem) };
    const serving = createServingCert(ca, hosts, options.clock);
    certPem = serving.certPem;
    keyPem = serving.keyPem;
    await writeFileAtomic(paths.key, keyPem, 0o600);
    await writeFileAtomic(paths.cert, certPem, 0o644);
  }
  return { caCert: caCertPem, cert: certPem, key: keyPem };
}

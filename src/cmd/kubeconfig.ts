// The admin kubeconfig written to DATA_DIR/kubeconfig once the server serves: cluster (our CA,
// the HTTPS URL), user (the admin token), context `k8ts`. Mode 0600: it holds the token.
import { stringify } from 'yaml';
import { writeFileAtomic } from '../lib/write-file-atomic.js';

export interface KubeconfigOptions {
  readonly server: string;
  readonly caCert: string;
  readonly token: string;
}

export function renderKubeconfig(options: KubeconfigOptions): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'k8ts', cluster: { server: options.server, 'certificate-authority-data': Buffer.from(options.caCert).toString('base64') } }],
    users: [{ name: 'k8ts-admin', user: { token: options.token } }],
    contexts: [{ name: 'k8ts', context: { cluster: 'k8ts', user: 'k8ts-admin' } }],
    'current-context': 'k8ts',
    preferences: {},
  });
}

export async function writeKubeconfig(path: string, options: KubeconfigOptions): Promise<void> {
  await writeFileAtomic(path, renderKubeconfig(options), 0o600);
}

/** The URL clients on this machine use: loopback when we listen on a wildcard or loopback address. */
export function localServerUrl(address: string, port: number): string {
  const wildcard = address === '0.0.0.0' || address === '::' || address === '127.0.0.1';
  if (wildcard) return `https://127.0.0.1:${port}`;
  if (address === '::1') return `https://[::1]:${port}`;
  return address.includes(':') ? `https://[${address}]:${port}` : `https://${address}:${port}`;
}

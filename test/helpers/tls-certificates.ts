// Certificates for tests of TLS listeners (the gateway's HTTPS ports): one private CA and serving
// certificates it signs for chosen hostnames, made by the API server's own PKI code (ensurePki
// keeps the CA of a directory and issues a new serving certificate whenever the hosts change).
// Lives under test/ because src/proxy and src/controllers may not import src/apiserver.
import { ensurePki } from '../../src/apiserver/tls/pki.js';
import { systemClock } from '../../src/lib/clock.js';
import { tempDirRemovedAtExit } from './temp-dir.js';

export interface IssuedCertificate {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface TestCertificateAuthority {
  /** PEM of the CA: what clients trust. */
  readonly caPem: string;
  /** A certificate for `hosts` (DNS names, `*.` wildcards allowed; localhost is always added). */
  issue(hosts: readonly string[]): Promise<IssuedCertificate>;
}

export async function testCertificateAuthority(): Promise<TestCertificateAuthority> {
  const dir = tempDirRemovedAtExit('k8ts-test-ca-');
  const first = await ensurePki({ dir, hosts: [], clock: systemClock });
  // Issues run one after another: each rewrites the directory's serving certificate.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    caPem: first.caCert,
    issue(hosts) {
      const next = queue.then(async () => {
        const pki = await ensurePki({ dir, hosts, clock: systemClock });
        return { certPem: pki.cert, keyPem: pki.key };
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

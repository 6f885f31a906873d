// A node's cluster DNS: the records of the cluster zone (cluster-records.ts, from the Service and
// EndpointSlice informers) served on the node's DNS address over UDP and TCP (dns-server.ts),
// every other name forwarded to the node's own resolvers (dns-forwarder.ts). It is what CoreDNS
// does for a cluster, run the way NodeLocal DNSCache runs: one server per node, on a link-local
// address that every pod of the node reaches (dns-address.ts), so nothing depends on a DNS pod
// being scheduled and ready.
// Serving starts once the informers have synced (before that every name would be NXDOMAIN). If
// the address cannot be bound (another agent of this machine serves it, or it went away) the bind
// is retried every few seconds, so a second agent takes over when the first one stops.
import { setTimeout as delay } from 'node:timers/promises';
import type { InformerFactory } from '../client/informer/informer.js';
import { ENDPOINTSLICES, SERVICES } from '../client/resource-types.js';
import type { Logger } from '../lib/logger.js';
import { ClusterRecords, clusterRecordIndexers } from './cluster-records.js';
import type { DnsAddress } from './dns-address.js';
import { DnsForwarder } from './dns-forwarder.js';
import { DnsServer } from './dns-server.js';
import type { DnsEndpointSliceObject, DnsServiceObject } from './dns-object-types.js';

export interface ClusterDnsOptions {
  /** The DNS adds its informers (Services, EndpointSlices); the caller starts the factory. */
  readonly informers: InformerFactory;
  /** Where to listen; acquired (added to lo when missing) before each bind attempt. */
  readonly address: Pick<DnsAddress, 'address' | 'acquire' | 'release'>;
  /** Default 53. */
  readonly port?: number;
  /** The cluster domain, e.g. cluster.local. */
  readonly zone: string;
  /** The node's resolvers, for names outside the cluster. */
  readonly upstreams: readonly { readonly host: string; readonly port: number }[];
  readonly logger: Logger;
  /** Between bind attempts (default 5 s). */
  readonly retryMs?: number;
}

export class ClusterDns {
  readonly #options: ClusterDnsOptions;
  #bound: { address: string; port: number } | undefined;

  constructor(options: ClusterDnsOptions) {
    this.#options = options;
  }

  /** Where it serves, once bound; for tests. */
  get bound(): { address: string; port: number } | undefined {
    return this.#bound;
  }

  /** Serves until `signal` aborts; then closes and gives the address back. Never throws for a bind problem. */
  async run(signal: AbortSignal): Promise<void> {
    const { informers, logger, zone } = this.#options;
    const services = informers.informerFor<DnsServiceObject>(SERVICES);
    const slices = informers.informerFor<DnsEndpointSliceObject>(ENDPOINTSLICES);
    const indexers = clusterRecordIndexers();
    services.addIndexers(indexers.services);
    slices.addIndexers(indexers.slices);
    // The zone's NS record names ns.dns.<zone>; its address is where this server listens.
    const records = new ClusterRecords({ zone, services: services.lister, slices: slices.lister, nameServerAddresses: [this.#options.address.address] });
    const port = this.#options.port ?? 53;
    // A node whose own resolv.conf names the cluster DNS address would forward to itself forever.
    const upstreams = this.#options.upstreams.filter((u) => !(u.host === this.#options.address.address && u.port === port));
    const forwarder = new DnsForwarder({ upstreams });
    const server = new DnsServer({
      address: this.#options.address.address,
      port,
      resolver: records,
      forwarder,
      logger,
    });
    try {
      await informers.waitForSync(signal);
      await this.#bind(server, signal);
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      await server.close();
      forwarder.close();
      this.#bound = undefined;
      await this.#options.address.release().catch((error: unknown) => logger.warn({ err: error }, 'could not remove the cluster DNS address'));
    }
  }

  async #bind(server: DnsServer, signal: AbortSignal): Promise<void> {
    const { logger } = this.#options;
    let lastProblem = '';
    while (!signal.aborted) {
      try {
        await this.#options.address.acquire();
        this.#bound = await server.listen();
        logger.info({ address: this.#bound.address, port: this.#bound.port, zone: this.#options.zone }, 'cluster DNS serving');
        return;
      } catch (error) {
        const problem = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        // Said once per kind of problem: a second agent of this machine waits here quietly.
        if (problem !== lastProblem) {
          const hint = problem === 'EADDRINUSE' ? 'another program (another agent of this machine?) serves DNS there; retrying' : 'retrying';
          logger.warn({ err: error, address: this.#options.address.address }, `cluster DNS cannot listen: ${hint}`);
          lastProblem = problem;
        }
      }
      await delay(this.#options.retryMs ?? 5_000, undefined, { signal }).catch(() => undefined);
    }
  }
}

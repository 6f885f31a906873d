// The service proxy (kube-proxy's job, iptables mode) of one node: watches Services and
// EndpointSlices through the client module and keeps the node's iptables rules in step, one
// atomic `iptables-restore --noflush` batch per sync, rate-limited by SyncScheduler. Stopping
// removes every rule and chain it made (and a restarted proxy replaces what a crashed one left).
// After each applied batch it deletes the UDP/SCTP conntrack entries the change left stale
// (conntrack-cleaner.ts). Every queued change and every sync's outcome is reported to ProxyHealth
// (proxy-health.ts), which the health check node ports and the healthz server answer from.
//
// Host prerequisites (checked on this machine: iptables 1.8.9, nf_tables backend):
// - pod -> ClusterIP -> pod on the same bridge: the reply travels pod to pod over the bridge, so
//   it is un-DNATed only if bridged frames pass iptables: br_netfilter with
//   net.bridge.bridge-nf-call-iptables=1 (it is 1 here). When the sysctl is missing or 0 the
//   proxy masquerades all service traffic instead (replies then come back through the host).
// - 127.0.0.1:<nodePort> needs net.ipv4.conf.all.route_localnet=1 (route-localnet.ts).
// - forwarding (net.ipv4.ip_forward=1) is turned on by the CNI bridge plugin (isGateway).
import type { Node } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { InformerFactory } from '../../client/informer/informer.js';
import { ENDPOINTSLICES, NODES, SERVICES } from '../../client/resource-types.js';
import { realTimers, type Timers } from '../../client/timers.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { baseJumps } from './base-jumps.js';
import { ConntrackCleaner } from './conntrack-cleaner.js';
import { ChainNames } from './chain-names.js';
import type { ChainsByTable, IptablesHost } from './iptables-host.js';
import { HealthCheckServers, healthCheckTargets } from './health-check-servers.js';
import { deleteChainsText, renderRuleset, restoreText, type Ruleset } from './iptables-ruleset.js';
import type { ProxyEndpointSliceObject, ProxyServiceObject } from './proxy-object-types.js';
import { ProxyHealth } from './proxy-health.js';
import { RouteLocalnet } from './route-localnet.js';
import { buildServicePortPlans, groupSlicesByService, type ServicePortPlan } from './service-port-plan.js';
import { SyncScheduler } from './sync-scheduler.js';

/** Shows that bridged pod traffic passes iptables (br_netfilter loaded and enabled). */
export const BRIDGE_NF_CALL_IPTABLES = 'net.bridge.bridge-nf-call-iptables';

export interface ServiceProxyOptions {
  /** The proxy adds its informers (Services, EndpointSlices); the caller starts the factory. */
  readonly informers: InformerFactory;
  readonly host: IptablesHost;
  /** Tag of this node's chains (chainTagFor(nodeName)). */
  readonly chainTag: string;
  /**
   * This node: endpoints whose EndpointSlice nodeName matches are "local" for traffic policy
   * Local. Absent: no endpoint is local (Local services then drop everything but short-circuits).
   */
  readonly nodeName?: string;
  /** This node's addresses (its InternalIP): a loadBalancerSourceRange holding one admits the node itself. */
  readonly nodeIPs?: readonly string[];
  /**
   * Where health check node ports (LoadBalancer + externalTrafficPolicy Local) are served, e.g.
   * 0.0.0.0; needs nodeName. Absent: they are not served.
   */
  readonly healthCheckAddress?: string;
  /**
   * The pod CIDR: pod traffic from it keeps its source address; everything else reaching a
   * cluster IP is masqueraded. Absent (or bridged traffic bypassing iptables): masquerade all.
   */
  readonly clusterCidr?: string;
  /** Where route_localnet's original value is kept (shared by the proxies of one machine); absent: leave route_localnet alone. */
  readonly routeLocalnetMarkerDir?: string;
  readonly clock: Clock;
  readonly timers?: Timers;
  readonly logger: Logger;
  /** Default 250 ms. */
  readonly minSyncIntervalMs?: number;
  /** Full resync period (default 30 s). */
  readonly resyncIntervalMs?: number;
  /** Where syncs are reported (shared with a healthz server); absent: one with kube-proxy's timeout, 2x the resync period. */
  readonly health?: ProxyHealth;
}

type ProxyNodeObject = Node & KubeObject;

export class ServiceProxy {
  private readonly options: ServiceProxyOptions;
  private readonly names: ChainNames;
  private readonly logger: Logger;
  private known: ChainsByTable | undefined;
  private lastApplied = '';
  private clusterCidr: string | undefined;
  private syncs = 0;
  private readonly healthChecks: HealthCheckServers | undefined;
  private readonly conntrack: ConntrackCleaner;
  readonly health: ProxyHealth;
  /** The plans of the last applied batch (none before the first). */
  private appliedPlans: readonly ServicePortPlan[] = [];
  /** The first applied batch reconciled the conntrack table (flows a predecessor's rules made are judged by their endpoint). */
  private reconciled = false;

  constructor(options: ServiceProxyOptions) {
    this.options = options;
    this.names = new ChainNames(options.chainTag);
    this.logger = options.logger;
    this.clusterCidr = options.clusterCidr;
    this.conntrack = new ConntrackCleaner({ host: options.host, logger: options.logger });
    const health = options.health ?? new ProxyHealth({ clock: options.clock, healthTimeoutMs: 2 * (options.resyncIntervalMs ?? 30_000) });
    this.health = health;
    this.healthChecks = options.healthCheckAddress !== undefined && options.nodeName !== undefined
      ? new HealthCheckServers({ address: options.healthCheckAddress, logger: options.logger, isProxyHealthy: () => health.isHealthy() })
      : undefined;
  }

  /** Health check node ports being served; for tests. */
  get healthCheckPorts(): number[] {
    return this.healthChecks?.ports ?? [];
  }

  /** How many batches were applied; for tests. */
  get appliedSyncs(): number {
    return this.syncs;
  }

  /** Programs rules until `signal` aborts, then removes them; resolves when they are gone. */
  async run(signal: AbortSignal): Promise<void> {
    const { informers, host } = this.options;
    const services = informers.informerFor<ProxyServiceObject>(SERVICES);
    const slices = informers.informerFor<ProxyEndpointSliceObject>(ENDPOINTSLICES);
    const health = this.health;
    const scheduler = new SyncScheduler({
      sync: async (full) => {
        health.syncStarted();
        try {
          await this.sync(full, services.lister.list(), slices.lister.list());
        } catch (error) {
          health.syncFailed();
          throw error;
        }
        health.synced();
      },
      clock: this.options.clock,
      timers: this.options.timers ?? realTimers,
      logger: this.logger,
      minIntervalMs: this.options.minSyncIntervalMs ?? 250,
      resyncIntervalMs: this.options.resyncIntervalMs ?? 30_000,
      retryMs: 1_000,
    });
    let started = false;
    const changed = (): void => {
      if (!started) return;
      health.queued();
      scheduler.request();
    };
    // A resync delivers the same object as old and new: nothing to do.
    services.addHandlers({ add: changed, update: (a, b) => a !== b && changed(), delete: changed });
    slices.addHandlers({ add: changed, update: (a, b) => a !== b && changed(), delete: changed });
    // This node's Node decides whether load balancers may send it traffic (/healthz nodeEligible).
    if (this.options.nodeName !== undefined) {
      const nodes = informers.informerFor<ProxyNodeObject>(NODES, { fieldSelector: `metadata.name=${this.options.nodeName}` });
      nodes.addHandlers({ add: (node) => health.syncNode(node), update: (_, node) => health.syncNode(node), delete: () => health.syncNode(undefined) });
    }
    const localnet = this.options.routeLocalnetMarkerDir === undefined
      ? undefined
      : new RouteLocalnet({ host, markerDir: this.options.routeLocalnetMarkerDir });
    try {
      await this.checkBridgeNetfilter();
      if (localnet && (await localnet.enable())) this.logger.info({ key: 'net.ipv4.conf.all.route_localnet' }, 'enabled route_localnet for loopback node ports');
      await informers.waitForSync(signal);
      started = true;
      health.started();
      scheduler.start();
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } catch (error) {
      if (!signal.aborted) throw error;
    } finally {
      await scheduler.stop();
      await this.cleanup(localnet);
    }
  }

  /** Without br_netfilter, replies between pods on one bridge skip conntrack: SNAT everything. */
  private async checkBridgeNetfilter(): Promise<void> {
    if (this.clusterCidr === undefined) return;
    const enabled = await this.options.host.readSysctl(BRIDGE_NF_CALL_IPTABLES).then((v) => v === '1', () => false);
    if (enabled) return;
    this.logger.warn({ key: BRIDGE_NF_CALL_IPTABLES }, 'bridged traffic bypasses iptables (load br_netfilter); masquerading all service traffic');
    this.clusterCidr = undefined;
  }

  /** The whole ruleset for the current informer contents; exposed for tests. */
  ruleset(services: readonly ProxyServiceObject[], slices: readonly ProxyEndpointSliceObject[]): Ruleset {
    return this.render(this.plans(services, slices));
  }

  private plans(services: readonly ProxyServiceObject[], slices: readonly ProxyEndpointSliceObject[]): ServicePortPlan[] {
    const { nodeName, nodeIPs } = this.options;
    return buildServicePortPlans(services, groupSlicesByService(slices), {
      ...(nodeName !== undefined ? { nodeName } : {}),
      ...(nodeIPs !== undefined ? { nodeIPs } : {}),
    });
  }

  private render(plans: readonly ServicePortPlan[]): Ruleset {
    return renderRuleset(plans, { names: this.names, ...(this.clusterCidr !== undefined ? { clusterCidr: this.clusterCidr } : {}) });
  }

  private async sync(full: boolean, services: ProxyServiceObject[], slices: ProxyEndpointSliceObject[]): Promise<void> {
    const { host, nodeName } = this.options;
    // Before the rules: a readiness change can move the count without changing a rule.
    if (this.healthChecks && nodeName !== undefined) await this.healthChecks.sync(healthCheckTargets(services, groupSlicesByService(slices), nodeName));
    const plans = this.plans(services, slices);
    const ruleset = this.render(plans);
    if (full || this.known === undefined) this.known = await host.listChains((chain) => this.names.owns(chain));
    const text = restoreText(ruleset, this.known);
    if (!full && text === this.lastApplied) return;
    const started = this.options.clock.now().getTime();
    await host.restore(text);
    this.lastApplied = text;
    this.known = { nat: new Set(ruleset.nat.chains), filter: new Set(ruleset.filter.chains) };
    if (full) await host.ensureJumps(baseJumps(this.names));
    // Only once the new rules are in: a flow deleted earlier could be re-created to a gone endpoint.
    if (this.reconciled) await this.conntrack.clean(this.appliedPlans, plans);
    else await this.conntrack.reconcile(plans);
    this.reconciled = true;
    this.appliedPlans = plans;
    this.syncs += 1;
    this.logger.debug(
      { full, services: services.length, natRules: ruleset.nat.rules.length, ms: this.options.clock.now().getTime() - started },
      'service proxy rules synced',
    );
  }

  private async cleanup(localnet: RouteLocalnet | undefined): Promise<void> {
    const { host } = this.options;
    await this.healthChecks?.close();
    try {
      await host.deleteJumps(baseJumps(this.names));
      const ours = await host.listChains((chain) => this.names.owns(chain));
      await host.restore(deleteChainsText(ours));
      this.known = undefined;
      this.lastApplied = '';
      this.appliedPlans = [];
      this.reconciled = false;
      if (localnet) {
        const others = await host.listChains((chain) => chain.startsWith('K8TS-') && chain.endsWith('-SERVICES'));
        if (await localnet.restore(others.nat.size > 0)) this.logger.info('restored route_localnet');
      }
      this.logger.info('service proxy rules removed');
    } catch (error) {
      this.logger.error({ err: error }, 'could not remove service proxy rules');
    }
  }
}

// Pod networking for the process runtime as root: one network namespace per pod
// (`ip netns add <bridge>-<sandboxId>`) wired by the CNI plugins of Debian's
// containernetworking-plugins (/usr/lib/cni), invoked directly (CNI spec 1.0: CNI_COMMAND=ADD/DEL,
// CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_PATH, the network config on stdin):
//   bridge (+ host-local IPAM from the node's pod CIDR) on eth0, then portmap when the pod has
//   hostPorts (it chains on the bridge's result). The namespace's lo is brought up with
//   `ip -n <netns> link set lo up`, not the loopback plugin: that is all the plugin does (its DEL
//   only sets lo down in a namespace about to be deleted), and `ip` is a small C program where the
//   plugin is a Go binary, ~2.5 ms less per pod in the setup burst that bounds pod startup.
// The bridge uses isGateway (the bridge holds the CIDR's .1, pods route through it; the plugin
// also turns on net.ipv4.ip_forward) and ipMasq false: host <-> pod traffic works, and nothing is
// NATed out of the machine. Teardown runs DEL in reverse order and deletes the namespace; the
// bridge is deleted once no namespace of ours is left, if we created it (never while a setUp is
// under way: the plugin would re-create the bridge behind our back and it would stay forever).
// Setups run a few at a time (SetupSlots): at most `setupConcurrency` pods are between
// `ip netns add` and their last plugin. Left behind by design:
// ip_forward=1, and portmap's shared CNI-HOSTPORT-* chains (its per-pod rules are removed by DEL).
// A pod with a DNS config gets it as /etc/netns/<netns>/resolv.conf (netns-etc.ts), removed with the namespace.
// Two agents on one machine need different bridges and pod CIDRs. Every plugin and `ip` runs from a
// small helper process (shim-host.ts run()), not from the agent: see there for why.
import { access, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../../lib/logger.js';
import type { PodSandboxConfig } from '../runtime.js';
import type { ShimCommand, ShimCommandResult } from './shim-protocol.js';
import type { PodNetwork, PodNetworkAttachment } from './pod-network.js';
import { NETNS_ETC_DIR, removeNetnsEtc, writeNetnsResolvConf } from './netns-etc.js';
import { SetupSlots } from './setup-slots.js';
import { ShimHost, shimSocketPath } from './shim-host.js';

export const DEFAULT_CNI_PATH = '/usr/lib/cni';
const CNI_VERSION = '1.0.0';

export interface CniNetworkOptions {
  readonly stateDir: string;
  readonly logger: Logger;
  /** The node's pod CIDR, e.g. 10.88.1.0/24. */
  readonly podCidr?: string;
  readonly bridge?: string;
  readonly cniPath?: string;
  /** How many pod network setups run at once (default 8). */
  readonly setupConcurrency?: number;
  /** Runs the plugins and `ip` (default: a helper process of its own, started on first use). */
  readonly runner?: CommandRunner;
  /** iproute2's per-namespace /etc (default /etc/netns; tests use another). */
  readonly netnsEtcDir?: string;
}

export interface CommandRunner {
  run(command: ShimCommand): Promise<ShimCommandResult>;
  /** Lets go of a helper process, if any (a later run starts a new one). */
  close(): void;
}

interface CniState {
  readonly results: Record<string, unknown>;
  readonly portMappings: readonly { hostPort: number; containerPort: number; protocol: string }[];
  /** The bridge network config of the ADD: DEL must use the same one even if a restarted agent has another bridge. */
  readonly bridgeConf?: NetConf;
}

/** `bridge-created-<name>`: we created that bridge (older agents wrote `bridge-created`, holding the name). */
const MARKER_PREFIX = 'bridge-created';

type NetConf = Record<string, unknown>;

export class CniNetwork implements PodNetwork {
  readonly #logger: Logger;
  readonly #dir: string;
  readonly #podCidr: string;
  readonly #bridge: string;
  readonly #cniPath: string;
  readonly #slots: SetupSlots;
  readonly #runner: CommandRunner;
  readonly #etcDir: string;
  /** Setups under way (waiting for a slot included): close() leaves the bridge alone meanwhile. */
  #settingUp = 0;
  #closing: Promise<void> | undefined;
  /** The bridge is known to exist (or we recorded creating it): no `ip link show` per pod. */
  #bridgeSeen = false;

  constructor(options: CniNetworkOptions) {
    this.#logger = options.logger.child({ component: 'cni-network' });
    this.#dir = join(options.stateDir, 'cni');
    this.#podCidr = options.podCidr ?? '10.88.1.0/24';
    this.#bridge = options.bridge ?? 'k8ts0';
    this.#cniPath = options.cniPath ?? DEFAULT_CNI_PATH;
    this.#slots = new SetupSlots(options.setupConcurrency ?? 8);
    this.#etcDir = options.netnsEtcDir ?? NETNS_ETC_DIR;
    this.#runner = options.runner ?? new ShimHost({ logPath: join(this.#dir, 'runner.log'), socketPath: shimSocketPath(this.#dir, 'runner.sock') });
  }

  #netnsName(sandboxId: string): string {
    return `${this.#bridge}-${sandboxId}`;
  }

  #bridgeConf(): NetConf {
    return {
      cniVersion: CNI_VERSION,
      name: `${this.#bridge}-pods`,
      type: 'bridge',
      bridge: this.#bridge,
      isGateway: true,
      ipMasq: false,
      hairpinMode: true,
      ipam: { type: 'host-local', ranges: [[{ subnet: this.#podCidr }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: join(this.#dir, 'ipam') },
    };
  }

  async setUp(sandboxId: string, config: PodSandboxConfig): Promise<PodNetworkAttachment> {
    this.#settingUp++;
    let failed = false;
    try {
      // A close() that already started finishes first (it may delete the bridge; we then re-create it as ours).
      while (this.#closing) await this.#closing;
      return await this.#slots.run(() => this.#add(sandboxId, config));
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      this.#settingUp--;
      // A close() skipped because of this setUp would never come back for the bridge: try it now
      // (it keeps the bridge while any namespace of ours is left).
      if (failed && this.#settingUp === 0) void this.close().catch((e: unknown) => this.#logger.warn({ err: e }, 'could not remove the pod bridge'));
    }
  }

  async #add(sandboxId: string, config: PodSandboxConfig): Promise<PodNetworkAttachment> {
    const netns = this.#netnsName(sandboxId);
    if (!this.#bridgeSeen) {
      await mkdir(this.#dir, { recursive: true });
      if (!(await this.#linkExists(this.#bridge))) await writeFile(join(this.#dir, `${MARKER_PREFIX}-${this.#bridge}`), this.#bridge);
      this.#bridgeSeen = true;
    }
    await this.#ip(['netns', 'add', netns]);
    const portMappings = config.portMappings
      .filter((p) => p.hostPort !== undefined && p.hostPort > 0)
      .map((p) => ({ hostPort: p.hostPort ?? 0, containerPort: p.containerPort, protocol: p.protocol.toLowerCase() }));
    const results: Record<string, unknown> = {};
    try {
      if (config.dnsConfig) await writeNetnsResolvConf(this.#etcDir, netns, config.dnsConfig);
      await this.#ip(['-n', netns, 'link', 'set', 'lo', 'up']);
      const bridge = await this.#invoke('ADD', sandboxId, netns, 'eth0', this.#bridgeConf());
      results['eth0'] = bridge;
      if (portMappings.length > 0) {
        results['portmap'] = await this.#invoke('ADD', sandboxId, netns, 'eth0', this.#portmapConf(portMappings, bridge));
      }
    } catch (error) {
      await this.tearDown(sandboxId, { ip: '', netns, state: { results, portMappings, bridgeConf: this.#bridgeConf() } satisfies CniState }).catch(() => undefined);
      throw error;
    }
    const ip = podIp(results['eth0']);
    this.#logger.debug({ sandboxId, netns, ip }, 'pod network set up');
    return { ip, netns, state: { results, portMappings, bridgeConf: this.#bridgeConf() } satisfies CniState };
  }

  #portmapConf(portMappings: CniState['portMappings'], prevResult: unknown, name = `${this.#bridge}-pods`): NetConf {
    return {
      cniVersion: CNI_VERSION,
      name,
      type: 'portmap',
      capabilities: { portMappings: true },
      runtimeConfig: { portMappings },
      prevResult,
    };
  }

  async tearDown(sandboxId: string, attachment: PodNetworkAttachment): Promise<void> {
    const state = attachment.state as CniState | undefined;
    const netns = attachment.netns;
    const bridgeResult = state?.results['eth0'];
    const bridgeConf = state?.bridgeConf ?? this.#bridgeConf();
    if (state && state.portMappings.length > 0) {
      await this.#invoke('DEL', sandboxId, netns, 'eth0', this.#portmapConf(state.portMappings, bridgeResult, String(bridgeConf['name'])))
        .catch((e: unknown) => this.#warn(e, 'portmap'));
    }
    await this.#invoke('DEL', sandboxId, netns, 'eth0', { ...bridgeConf, ...(bridgeResult ? { prevResult: bridgeResult } : {}) })
      .catch((e: unknown) => this.#warn(e, 'bridge'));
    await this.#ip(['netns', 'delete', netns]).catch(() => undefined);
    await removeNetnsEtc(this.#etcDir, netns);
  }

  /**
   * Deletes each bridge we created (this agent's, or another one's an earlier agent over the same
   * state used) once no pod namespace on it is left.
   */
  async close(): Promise<void> {
    if (this.#closing) return this.#closing;
    if (this.#settingUp > 0) return;
    this.#closing = this.#removeBridge().finally(() => {
      this.#closing = undefined;
    });
    await this.#closing;
  }

  async #removeBridge(): Promise<void> {
    const markers = (await readdir(this.#dir).catch(() => [])).filter((f) => f.startsWith(MARKER_PREFIX) && !f.endsWith('.tmp'));
    if (markers.length === 0) return;
    const namespaces = (await this.#ip(['netns', 'list'])).split('\n');
    for (const marker of markers) {
      const bridge = (await readFile(join(this.#dir, marker), 'utf8').catch(() => '')).trim();
      if (bridge === '' || namespaces.some((line) => line.startsWith(`${bridge}-`))) continue;
      await this.#ip(['link', 'delete', bridge]).catch(() => undefined);
      await rm(join(this.#dir, marker), { force: true });
      if (bridge === this.#bridge) this.#bridgeSeen = false;
    }
  }

  /** Lets go of the helper process that runs the plugins (pods' networks stay as they are). */
  release(): void {
    this.#runner.close();
  }

  async #ip(args: readonly string[]): Promise<string> {
    const result = await this.#runner.run({ argv: ['ip', ...args], env: { PATH: hostPath() }, stdin: '' });
    if (result.code !== 0) throw new Error(`ip ${args.join(' ')} failed: ${result.stderr.trim() || `exit code ${String(result.code)}`}`);
    return result.stdout;
  }

  async #linkExists(name: string): Promise<boolean> {
    return this.#ip(['link', 'show', name]).then(() => true, () => false);
  }

  #warn(error: unknown, plugin: string): void {
    this.#logger.warn({ err: error, plugin }, 'CNI DEL failed');
  }

  async #invoke(command: 'ADD' | 'DEL', sandboxId: string, netns: string, ifname: string, conf: NetConf): Promise<unknown> {
    const type = String(conf['type']);
    const { code, stdout: out, stderr: err } = await this.#runner.run({
      argv: [join(this.#cniPath, type)],
      env: {
        CNI_COMMAND: command,
        CNI_CONTAINERID: sandboxId,
        CNI_NETNS: `/var/run/netns/${netns}`,
        CNI_IFNAME: ifname,
        CNI_PATH: this.#cniPath,
        PATH: hostPath(),
      },
      stdin: JSON.stringify(conf),
    });
    if (code === 0) return out.trim() === '' ? undefined : JSON.parse(out);
    let message = err.trim() || out.trim();
    try {
      const parsed = JSON.parse(out) as { msg?: string; details?: string };
      message = [parsed.msg, parsed.details].filter(Boolean).join(': ');
    } catch {
      // Not JSON: keep the raw text.
    }
    throw new Error(`CNI ${type} ${command} failed: ${message}`);
  }
}

function hostPath(): string {
  return process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin';
}

function podIp(result: unknown): string {
  const ips = (result as { ips?: { address?: string }[] } | undefined)?.ips ?? [];
  const address = ips.find((i) => i.address?.includes('.') === true)?.address;
  if (address === undefined) throw new Error('the CNI bridge plugin returned no IPv4 address');
  return address.split('/')[0] ?? address;
}

/**
 * The pod network a process runtime should use here: CNI when running as root with the plugins
 * installed; else none (host network) with a warning. Under CI=true, a root agent without the
 * plugins is an installation error (apt-get install containernetworking-plugins), not a fallback.
 */
export async function podNetworkForHost(options: CniNetworkOptions & { readonly ci?: boolean }): Promise<PodNetwork | undefined> {
  const cniPath = options.cniPath ?? DEFAULT_CNI_PATH;
  if (process.getuid?.() !== 0) {
    options.logger.warn('not running as root: pods share the host network');
    return undefined;
  }
  const present = await access(join(cniPath, 'bridge')).then(() => true, () => false);
  if (!present) {
    if (options.ci === true) throw new Error(`CNI plugins missing in ${cniPath}: install the Debian package containernetworking-plugins`);
    options.logger.warn({ cniPath }, 'CNI plugins not found: pods share the host network');
    return undefined;
  }
  return new CniNetwork(options);
}

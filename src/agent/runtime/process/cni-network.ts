// Pod networking for the process runtime as root: one network namespace per pod
// (`ip netns add <bridge>-<sandboxId>`) wired by the CNI plugins of Debian's
// containernetworking-plugins (/usr/lib/cni), invoked directly (CNI spec 1.0: CNI_COMMAND=ADD/DEL,
// CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_PATH, the network config on stdin):
//   loopback on lo, then bridge (+ host-local IPAM from the node's pod CIDR) on eth0, then portmap
//   when the pod has hostPorts (it chains on the bridge's result).
// The bridge uses isGateway (the bridge holds the CIDR's .1, pods route through it; the plugin
// also turns on net.ipv4.ip_forward) and ipMasq false: host <-> pod traffic works, and nothing is
// NATed out of the machine. Teardown runs DEL in reverse order and deletes the namespace; the
// bridge is deleted once no namespace of ours is left, if we created it. Left behind by design:
// ip_forward=1, and portmap's shared CNI-HOSTPORT-* chains (its per-pod rules are removed by DEL).
// Two agents on one machine need different bridges and pod CIDRs.
import { spawn } from 'node:child_process';
import { execFile } from 'node:child_process';
import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../../../lib/logger.js';
import type { PodSandboxConfig } from '../runtime.js';
import type { PodNetwork, PodNetworkAttachment } from './pod-network.js';

const execFileAsync = promisify(execFile);
export const DEFAULT_CNI_PATH = '/usr/lib/cni';
const CNI_VERSION = '1.0.0';

export interface CniNetworkOptions {
  readonly stateDir: string;
  readonly logger: Logger;
  /** The node's pod CIDR, e.g. 10.88.1.0/24. */
  readonly podCidr?: string;
  readonly bridge?: string;
  readonly cniPath?: string;
}

interface CniState {
  readonly results: Record<string, unknown>;
  readonly portMappings: readonly { hostPort: number; containerPort: number; protocol: string }[];
}

type NetConf = Record<string, unknown>;

export class CniNetwork implements PodNetwork {
  readonly #logger: Logger;
  readonly #dir: string;
  readonly #podCidr: string;
  readonly #bridge: string;
  readonly #cniPath: string;

  constructor(options: CniNetworkOptions) {
    this.#logger = options.logger.child({ component: 'cni-network' });
    this.#dir = join(options.stateDir, 'cni');
    this.#podCidr = options.podCidr ?? '10.88.1.0/24';
    this.#bridge = options.bridge ?? 'k8ts0';
    this.#cniPath = options.cniPath ?? DEFAULT_CNI_PATH;
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
    await mkdir(this.#dir, { recursive: true });
    const netns = this.#netnsName(sandboxId);
    if (!(await linkExists(this.#bridge))) await writeFile(join(this.#dir, 'bridge-created'), this.#bridge);
    await execFileAsync('ip', ['netns', 'add', netns]);
    const portMappings = config.portMappings
      .filter((p) => p.hostPort !== undefined && p.hostPort > 0)
      .map((p) => ({ hostPort: p.hostPort ?? 0, containerPort: p.containerPort, protocol: p.protocol.toLowerCase() }));
    const results: Record<string, unknown> = {};
    try {
      results['lo'] = await this.#invoke('ADD', sandboxId, netns, 'lo', { cniVersion: CNI_VERSION, name: 'lo', type: 'loopback' });
      const bridge = await this.#invoke('ADD', sandboxId, netns, 'eth0', this.#bridgeConf());
      results['eth0'] = bridge;
      if (portMappings.length > 0) {
        results['portmap'] = await this.#invoke('ADD', sandboxId, netns, 'eth0', this.#portmapConf(portMappings, bridge));
      }
    } catch (error) {
      await this.tearDown(sandboxId, { ip: '', netns, state: { results, portMappings } satisfies CniState }).catch(() => undefined);
      throw error;
    }
    const ip = podIp(results['eth0']);
    this.#logger.debug({ sandboxId, netns, ip }, 'pod network set up');
    return { ip, netns, state: { results, portMappings } satisfies CniState };
  }

  #portmapConf(portMappings: CniState['portMappings'], prevResult: unknown): NetConf {
    return {
      cniVersion: CNI_VERSION,
      name: `${this.#bridge}-pods`,
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
    if (state && state.portMappings.length > 0) {
      await this.#invoke('DEL', sandboxId, netns, 'eth0', this.#portmapConf(state.portMappings, bridgeResult)).catch((e: unknown) => this.#warn(e, 'portmap'));
    }
    await this.#invoke('DEL', sandboxId, netns, 'eth0', { ...this.#bridgeConf(), ...(bridgeResult ? { prevResult: bridgeResult } : {}) })
      .catch((e: unknown) => this.#warn(e, 'bridge'));
    await this.#invoke('DEL', sandboxId, netns, 'lo', { cniVersion: CNI_VERSION, name: 'lo', type: 'loopback' }).catch((e: unknown) => this.#warn(e, 'loopback'));
    await execFileAsync('ip', ['netns', 'delete', netns]).catch(() => undefined);
  }

  /** Deletes the bridge when we created it and no pod namespace of ours is left. */
  async close(): Promise<void> {
    const marker = join(this.#dir, 'bridge-created');
    const created = await readFile(marker, 'utf8').catch(() => undefined);
    if (created === undefined) return;
    const { stdout } = await execFileAsync('ip', ['netns', 'list']);
    if (stdout.split('\n').some((line) => line.startsWith(`${this.#bridge}-`))) return;
    await execFileAsync('ip', ['link', 'delete', this.#bridge]).catch(() => undefined);
    await rm(marker, { force: true });
  }

  #warn(error: unknown, plugin: string): void {
    this.#logger.warn({ err: error, plugin }, 'CNI DEL failed');
  }

  #invoke(command: 'ADD' | 'DEL', sandboxId: string, netns: string, ifname: string, conf: NetConf): Promise<unknown> {
    const type = String(conf['type']);
    return new Promise((resolve, reject) => {
      const child = spawn(join(this.#cniPath, type), [], {
        env: {
          CNI_COMMAND: command,
          CNI_CONTAINERID: sandboxId,
          CNI_NETNS: `/var/run/netns/${netns}`,
          CNI_IFNAME: ifname,
          CNI_PATH: this.#cniPath,
          PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin',
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code === 0) {
          resolve(out.trim() === '' ? undefined : JSON.parse(out));
          return;
        }
        let message = err.trim() || out.trim();
        try {
          const parsed = JSON.parse(out) as { msg?: string; details?: string };
          message = [parsed.msg, parsed.details].filter(Boolean).join(': ');
        } catch {
          // Not JSON: keep the raw text.
        }
        reject(new Error(`CNI ${type} ${command} failed: ${message}`));
      });
      child.stdin.end(JSON.stringify(conf));
    });
  }
}

function podIp(result: unknown): string {
  const ips = (result as { ips?: { address?: string }[] } | undefined)?.ips ?? [];
  const address = ips.find((i) => i.address?.includes('.') === true)?.address;
  if (address === undefined) throw new Error('the CNI bridge plugin returned no IPv4 address');
  return address.split('/')[0] ?? address;
}

async function linkExists(name: string): Promise<boolean> {
  try {
    await execFileAsync('ip', ['link', 'show', name]);
    return true;
  } catch {
    return false;
  }
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

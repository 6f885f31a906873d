// The address a node serves cluster DNS on: a /32 on `lo`. NodeLocal DNSCache puts its
// 169.254.20.10 on a dummy interface; for routing `lo` is the same (Linux delivers a packet to any
// local address whatever interface it came in on) and leaves no interface behind. Pods reach it
// through their default route, whose gateway (the pod bridge) is this host.
// The agent adds the address when it is missing and deletes it when it stops, but only if it added
// it: a marker file in the agent's state records that, so an agent killed with -9 and started again
// still knows the address is its own to remove. An address someone else added is left alone.
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CommandRunner } from '../lib/command-runner.js';

export interface DnsAddressOptions {
  /** IPv4 address, e.g. 169.254.20.10. */
  readonly address: string;
  readonly runner: CommandRunner;
  /** Exists while this agent owns the address on lo. */
  readonly markerPath: string;
}

export class DnsAddress {
  readonly #options: DnsAddressOptions;

  constructor(options: DnsAddressOptions) {
    this.#options = options;
  }

  get address(): string {
    return this.#options.address;
  }

  /** Makes sure the address is on this host; adds it to lo (and marks it ours) when it is not. */
  async acquire(): Promise<void> {
    if (await this.#present()) return;
    const { runner, address, markerPath } = this.#options;
    // Marked before the add: a crash in between leaves a marker for an absent address, which a later release() handles.
    await mkdir(dirname(markerPath), { recursive: true });
    await writeFile(markerPath, address);
    const result = await runner.run('ip', ['address', 'add', `${address}/32`, 'dev', 'lo']);
    if (result.code === 0) return;
    await rm(markerPath, { force: true });
    // Another agent on this machine added it at the same moment: it is there, and not ours.
    if (/exists/i.test(result.stderr)) return;
    throw new Error(`cannot add the cluster DNS address ${address}/32 to lo: ${result.stderr.trim() || `ip exited with ${String(result.code)}`}`);
  }

  /** Deletes the address from lo if this agent (or an earlier run of it) added it. */
  async release(): Promise<void> {
    const { runner, address, markerPath } = this.#options;
    if (!(await stat(markerPath).then(() => true, () => false))) return;
    if (await this.#present()) {
      const result = await runner.run('ip', ['address', 'del', `${address}/32`, 'dev', 'lo']);
      if (result.code !== 0 && (await this.#present())) {
        throw new Error(`cannot delete the cluster DNS address ${address}/32 from lo: ${result.stderr.trim()}`);
      }
    }
    await rm(markerPath, { force: true });
  }

  async #present(): Promise<boolean> {
    const result = await this.#options.runner.run('ip', ['-4', '-o', 'address', 'show']);
    if (result.code !== 0) throw new Error(`ip address show failed: ${result.stderr.trim()}`);
    return result.stdout.split('\n').some((line) => line.includes(` inet ${this.#options.address}/`));
  }
}

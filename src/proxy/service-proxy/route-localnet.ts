// net.ipv4.conf.all.route_localnet: needed so 127.0.0.1:<nodePort> can be DNATed to a pod (without
// it the kernel drops a packet with a loopback source or destination on a non-loopback
// interface), as kube-proxy sets it. It is one setting per network namespace shared by every
// proxy on the machine, so the original value is kept in a marker file the first proxy to change
// it writes; the last proxy to stop (no other proxy's chains left) puts it back. A value the user
// set to 1 themselves has no marker and is never touched.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IptablesHost } from './iptables-host.js';

export const ROUTE_LOCALNET_KEY = 'net.ipv4.conf.all.route_localnet';

export class RouteLocalnet {
  private readonly host: IptablesHost;
  private readonly marker: string;
  private readonly markerDir: string;

  constructor(options: { readonly host: IptablesHost; readonly markerDir: string }) {
    this.host = options.host;
    this.markerDir = options.markerDir;
    this.marker = join(options.markerDir, 'route_localnet.original');
  }

  /** Turns it on; returns whether this call changed it. */
  async enable(): Promise<boolean> {
    const current = await this.host.readSysctl(ROUTE_LOCALNET_KEY);
    if (current === '1') return false;
    await mkdir(this.markerDir, { recursive: true });
    // 'wx': a marker another proxy wrote first holds the real original value; keep it.
    await writeFile(this.marker, current, { flag: 'wx' }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    });
    await this.host.writeSysctl(ROUTE_LOCALNET_KEY, '1');
    return true;
  }

  /** Puts the original value back unless other proxies still need it; returns whether it did. */
  async restore(otherProxiesActive: boolean): Promise<boolean> {
    if (otherProxiesActive) return false;
    let original: string;
    try {
      original = (await readFile(this.marker, 'utf8')).trim();
    } catch {
      return false;
    }
    if (/^[0-9]+$/.test(original)) await this.host.writeSysctl(ROUTE_LOCALNET_KEY, original);
    await rm(this.marker, { force: true });
    return true;
  }
}

// The two ranges Services allocate from, as a common shape: `size` values numbered 0..size-1 by
// offset, the lower `staticSize` of which form the band that dynamic allocation avoids while the
// upper band has room (upstream's ServiceIPStaticSubrange / ServiceNodePortStaticSubrange, so a
// user who picks a well-known value, e.g. the DNS service at .10, rarely finds it taken).
//
// Worked example, the default service CIDR 10.43.0.0/16: 65536 addresses, minus the network and
// broadcast addresses = 65534 usable, offset 0 = 10.43.0.1 (the `kubernetes` service). The static
// band is min(max(16, 65536/16), 256) = 256 offsets (10.43.0.1 - 10.43.1.0); dynamic allocation
// picks from 10.43.1.1 - 10.43.255.254 first. Node ports 30000-32767: 2768 ports, static band
// min(max(16, 2768/32), 128) = 86 ports (30000 - 30085).
import { isIP } from 'node:net';

export interface AllocationRange {
  /** How many values can be allocated. */
  readonly size: number;
  /** The first `staticSize` offsets are left for explicit requests while the rest has room. */
  readonly staticSize: number;
  /** As upstream prints the range in its errors: `10.43.0.0/16`, `30000-32767`. */
  readonly text: string;
  /** The offset of a value in this range, or undefined (not a value of this kind, or outside). */
  offsetOf(value: string): number | undefined;
  valueAt(offset: number): string;
  /** Upstream's ErrNotInRange / ErrAllocated wording for this kind of value. */
  notInRangeMessage(value: string): string;
  readonly allocatedMessage: string;
}

/** A --service-cluster-ip-range or --service-node-port-range that cannot be used. */
export class RangeSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RangeSpecError';
  }
}

/** Dotted quad to an unsigned 32-bit number, or undefined when not an IPv4 address. */
export function ipv4ToNumber(ip: string): number | undefined {
  if (isIP(ip) !== 4) return undefined;
  const parts = ip.split('.').map(Number);
  return ((parts[0] ?? 0) * 2 ** 24) + ((parts[1] ?? 0) << 16) + ((parts[2] ?? 0) << 8) + (parts[3] ?? 0);
}

export function numberToIpv4(n: number): string {
  return [Math.floor(n / 2 ** 24) % 256, Math.floor(n / 2 ** 16) % 256, Math.floor(n / 2 ** 8) % 256, n % 256].join('.');
}

/** min(max(min, total/step), max), 0 for tiny ranges: upstream's calculateRangeOffset. */
function staticBand(total: number, min: number, max: number, step: number): number {
  if (total <= min) return 0;
  return Math.min(Math.max(min, Math.floor(total / step)), max);
}

/** Upstream refuses IPv4 service ranges larger than a /12 (2^20 addresses). */
const MIN_PREFIX = 12;

/** `10.43.0.0/16`: IPv4 only (k8ts clusters are single-stack IPv4). The address is masked. */
export function parseServiceCidr(text: string): AllocationRange {
  const match = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(text.trim());
  const address = match ? ipv4ToNumber(match[1] ?? '') : undefined;
  const prefix = Number(match?.[2]);
  if (!match || address === undefined || !Number.isInteger(prefix) || prefix > 32) {
    throw new RangeSpecError(`${JSON.stringify(text)} is not an IPv4 CIDR such as 10.43.0.0/16`);
  }
  if (prefix < MIN_PREFIX) throw new RangeSpecError(`${text} is too large: the prefix must be /${MIN_PREFIX} or longer`);
  if (prefix > 30) throw new RangeSpecError(`${text} is too small: the prefix must be /30 or shorter`);
  const total = 2 ** (32 - prefix);
  const network = address - (address % total);
  const cidr = `${numberToIpv4(network)}/${prefix}`;
  // The network and broadcast addresses are never handed out.
  const first = network + 1;
  const size = total - 2;
  return {
    size,
    staticSize: staticBand(total, 16, 256, 16),
    text: cidr,
    offsetOf(value) {
      const n = ipv4ToNumber(value);
      if (n === undefined || n < first || n >= first + size) return undefined;
      return n - first;
    },
    valueAt: (offset) => numberToIpv4(first + offset),
    notInRangeMessage: (value) => `the provided IP (${value}) is not in the valid range. The range of valid IPs is ${cidr}`,
    allocatedMessage: 'provided IP is already allocated',
  };
}

/** `30000-32767` (or a single port); upstream's net.ParsePortRange also takes `30000+2767`. */
export function parsePortRange(text: string): AllocationRange {
  const match = /^(\d{1,5})(?:([-+])(\d{1,5}))?$/.exec(text.trim());
  const low = Number(match?.[1]);
  const second = match?.[3] === undefined ? undefined : Number(match[3]);
  const high = second === undefined ? low : match?.[2] === '+' ? low + second : second;
  if (!match || low < 1 || high > 65535 || high < low) {
    throw new RangeSpecError(`${JSON.stringify(text)} is not a port range such as 30000-32767`);
  }
  const size = high - low + 1;
  const rangeText = `${low}-${high}`;
  return {
    size,
    staticSize: staticBand(size, 16, 128, 32),
    text: rangeText,
    offsetOf(value) {
      if (!/^\d{1,5}$/.test(value)) return undefined;
      const port = Number(value);
      return port >= low && port <= high ? port - low : undefined;
    },
    valueAt: (offset) => String(low + offset),
    notInRangeMessage: () => `provided port is not in the valid range. The range of valid ports is ${rangeText}`,
    allocatedMessage: 'provided port is already allocated',
  };
}

// IPv4 addresses and CIDRs as the proxy needs them (k8ts services are IPv4 single-stack): parsing
// with the octet bounds checked, numeric order, and CIDR membership for loadBalancerSourceRanges.

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function isIPv4(value: string | undefined): value is string {
  const match = value === undefined ? null : IPV4.exec(value);
  return match !== null && match.slice(1).every((octet) => Number(octet) <= 255);
}

/** The address as an unsigned 32-bit number (callers check isIPv4 first). */
export function ipNumber(ip: string): number {
  return ip.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
}

function ipText(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export interface IPv4Cidr {
  /** First address of the range: host bits cleared, as Go's net.IPNet prints it. */
  readonly network: number;
  readonly prefix: number;
  /** `a.b.c.d/n` with the host bits cleared. */
  readonly text: string;
}

/** `a.b.c.d/n` (surrounding blanks allowed, as upstream allows them in this field); undefined otherwise. */
export function parseIPv4Cidr(value: string): IPv4Cidr | undefined {
  const [ip, prefixText, ...rest] = value.trim().split('/');
  if (rest.length > 0 || !isIPv4(ip) || prefixText === undefined || !/^\d{1,2}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const network = Math.floor(ipNumber(ip) / size) * size;
  return { network, prefix, text: `${ipText(network)}/${prefix}` };
}

export function cidrContains(cidr: IPv4Cidr, ip: string): boolean {
  if (!isIPv4(ip)) return false;
  const size = 2 ** (32 - cidr.prefix);
  return Math.floor(ipNumber(ip) / size) * size === cidr.network;
}

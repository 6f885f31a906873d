// IPv4 addresses written as DNS names: the dashed label of pod and endpoint names (10-88-1-5) and
// the reverse name under in-addr.arpa (5.1.88.10.in-addr.arpa, RFC 1035 3.5). Only canonical
// dotted-decimal is accepted (no leading zeros, as Go's net.ParseIP that CoreDNS uses), so one
// address has exactly one dashed label and one reverse name.
import { isIPv4 } from 'node:net';

/** The reverse zone IPv4 PTR names live in (lower case, no trailing dot). */
export const REVERSE_ZONE = 'in-addr.arpa';

/** `10.88.1.5` -> `10-88-1-5`. */
export function dashedIPv4(address: string): string {
  return address.replaceAll('.', '-');
}

/** `10-88-1-5` -> `10.88.1.5`; undefined unless the label is exactly a dashed canonical IPv4. */
export function ipv4FromDashed(label: string): string | undefined {
  const address = label.replaceAll('-', '.');
  return isIPv4(address) ? address : undefined;
}

/**
 * The address of a full reverse name given as its labels before `in-addr.arpa`
 * (`['5', '1', '88', '10']` -> `10.88.1.5`); undefined for partial names (`1.88.10.in-addr.arpa`)
 * and anything not four decimal octets.
 */
export function ipv4FromReverseLabels(labels: readonly string[]): string | undefined {
  if (labels.length !== 4) return undefined;
  const address = [...labels].reverse().join('.');
  return isIPv4(address) ? address : undefined;
}

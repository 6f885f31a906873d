// Gateway API precedence among compiled rules. Each compiled rule carries one hostname (or none)
// and one match, so sorting them gives the data plane a "first match wins" list:
//   1. hostname: exact before wildcard before none; longer (more specific) first;
//   2. path: Exact, then PathPrefix (longest first), then RegularExpression;
//   3. a method match first; 4. more header matches first; 5. more query param matches first;
//   6. the oldest route (creationTimestamp); 7. route namespace/name alphabetically;
//   8. rule order, then match order within the rule.
// (1-7: HTTPRouteRule.matches and HTTPRouteSpec.hostnames docs upstream; regex placement is ours, as
// the spec leaves it to implementations.)

import type { CompiledRule } from './route-table.js';

export interface RankedRule {
  readonly rule: CompiledRule;
  /** creationTimestamp of the route in ms (0 when unknown). */
  readonly createdMs: number;
  readonly matchIndex: number;
}

function hostRank(rule: CompiledRule): number {
  const h = rule.hostnames[0];
  if (h === undefined) return 2;
  return h.startsWith('*.') ? 1 : 0;
}

function pathRank(rule: CompiledRule): number {
  const type = rule.matches[0]?.path?.type ?? 'PathPrefix';
  return type === 'Exact' ? 0 : type === 'PathPrefix' ? 1 : 2;
}

function prefixLength(rule: CompiledRule): number {
  const path = rule.matches[0]?.path;
  if (path === undefined) return 1;
  // `/abc/` and `/abc` are the same prefix.
  return path.value.length > 1 && path.value.endsWith('/') ? path.value.length - 1 : path.value.length;
}

/** Sort comparator: negative when `a` takes precedence over `b`. */
export function comparePrecedence(a: RankedRule, b: RankedRule): number {
  const ra = a.rule;
  const rb = b.rule;
  const m1 = ra.matches[0];
  const m2 = rb.matches[0];
  return (
    hostRank(ra) - hostRank(rb) ||
    (rb.hostnames[0]?.length ?? 0) - (ra.hostnames[0]?.length ?? 0) ||
    pathRank(ra) - pathRank(rb) ||
    (pathRank(ra) === 1 ? prefixLength(rb) - prefixLength(ra) : 0) ||
    (m2?.method !== undefined ? 1 : 0) - (m1?.method !== undefined ? 1 : 0) ||
    (m2?.headers.length ?? 0) - (m1?.headers.length ?? 0) ||
    (m2?.queryParams.length ?? 0) - (m1?.queryParams.length ?? 0) ||
    a.createdMs - b.createdMs ||
    compareStrings(ra.route, rb.route) ||
    ra.ruleIndex - rb.ruleIndex ||
    a.matchIndex - b.matchIndex ||
    // Only for a deterministic table: different hosts of equal length never compete.
    compareStrings(ra.hostnames[0] ?? '', rb.hostnames[0] ?? '')
  );
}

function compareStrings(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

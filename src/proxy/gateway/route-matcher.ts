// The hot-path request matcher. The compiler (route-compiler.ts) already put every listener's
// rules in Gateway API precedence order, so matching is "first rule that matches wins". A
// RouteMatcher is built once per RouteTable version: regexes are compiled here (tables are plain
// data and cannot carry RegExp objects across IPC) and every (rule, match) pair gets one
// preallocated RouteMatch, so matching a request allocates nothing on the common path (exact /
// prefix paths, exact headers, no query matches).

import type { CompiledMatch, CompiledRule, ListenerConfig, RouteTable } from './route-table.js';

/** What a match returns: the rule plus which of its matches hit (URLRewrite ReplacePrefixMatch needs the prefix). */
export interface RouteMatch {
  readonly rule: CompiledRule;
  readonly match: CompiledMatch;
  readonly matchIndex: number;
}

/**
 * The parts of a request the matcher reads. The data plane's parsed request head (request-head.ts)
 * has this shape, so it is passed as is: no per-request object is built for matching.
 */
export interface MatchRequest {
  readonly method: string;
  /** The Host header as sent (any case, optional `:port`); '' when absent. */
  readonly host: string;
  /** The request-target's path (before `?`). */
  readonly path: string;
  /** The query without the `?`; '' when none. */
  readonly query: string;
  /** Header names lower-cased, in order; `values[i]` belongs to `names[i]`. */
  readonly names: readonly string[];
  readonly values: readonly string[];
}

interface ValueTest {
  readonly name: string;
  readonly exact?: string;
  readonly regex?: RegExp;
}

interface MatchPlan {
  readonly result: RouteMatch;
  readonly method: string | undefined;
  readonly pathKind: 0 | 1 | 2 | 3; // 0 none, 1 exact, 2 prefix, 3 regex
  readonly pathValue: string;
  readonly pathRegex: RegExp | undefined;
  readonly headers: readonly ValueTest[];
  readonly query: readonly ValueTest[];
}

interface HostTest {
  /** Exact host, or the suffix (with the leading dot) of a `*.` wildcard. */
  readonly value: string;
  readonly wildcard: boolean;
}

interface RulePlan {
  readonly hosts: readonly HostTest[];
  readonly matches: readonly MatchPlan[];
}

/** The matcher of one listener (one port). */
export class ListenerMatcher {
  readonly port: number;
  private readonly rules: readonly RulePlan[];

  constructor(listener: ListenerConfig) {
    this.port = listener.port;
    this.rules = listener.rules.map(planRule);
  }

  /** The first rule (in precedence order) matching the request, or undefined (the gateway answers 404). */
  match(req: MatchRequest): RouteMatch | undefined {
    let hostName: string | undefined;
    for (const rule of this.rules) {
      if (rule.hosts.length > 0) {
        hostName ??= normalizeHost(req.host);
        if (!hostMatches(rule.hosts, hostName)) continue;
      }
      for (const plan of rule.matches) {
        if (planMatches(plan, req)) return plan.result;
      }
    }
    return undefined;
  }
}

/** The matchers of every listener of one table version. */
export class RouteMatcher {
  readonly version: number;
  private readonly byPort = new Map<number, ListenerMatcher>();

  constructor(table: RouteTable) {
    this.version = table.version;
    for (const listener of table.listeners) this.byPort.set(listener.port, new ListenerMatcher(listener));
  }

  listener(port: number): ListenerMatcher | undefined {
    return this.byPort.get(port);
  }

  match(port: number, req: MatchRequest): RouteMatch | undefined {
    return this.byPort.get(port)?.match(req);
  }
}

/** Builds the matcher for a table version (compiles its regexes once). Throws SyntaxError on an invalid regex the compiler let through. */
export function compileRouteMatcher(table: RouteTable): RouteMatcher {
  return new RouteMatcher(table);
}

function planRule(rule: CompiledRule): RulePlan {
  return {
    hosts: rule.hostnames.map((h) => (h.startsWith('*.') ? { value: h.slice(1), wildcard: true } : { value: h, wildcard: false })),
    matches: rule.matches.map((match, matchIndex) => planMatch(rule, match, matchIndex)),
  };
}

function planMatch(rule: CompiledRule, match: CompiledMatch, matchIndex: number): MatchPlan {
  const path = match.path;
  let pathKind: MatchPlan['pathKind'] = 0;
  let pathValue = '';
  let pathRegex: RegExp | undefined;
  if (path !== undefined) {
    if (path.type === 'Exact') {
      pathKind = 1;
      pathValue = path.value;
    } else if (path.type === 'PathPrefix') {
      // A trailing `/` is ignored (spec); `/` alone matches everything.
      pathValue = path.value.length > 1 && path.value.endsWith('/') ? path.value.slice(0, -1) : path.value;
      pathKind = pathValue === '/' || pathValue === '' ? 0 : 2;
    } else {
      pathKind = 3;
      pathRegex = fullMatch(path.value);
    }
  }
  return {
    result: { rule, match, matchIndex },
    method: match.method,
    pathKind,
    pathValue,
    pathRegex,
    headers: match.headers.map((h) => valueTest(h.name.toLowerCase(), h.type, h.value)),
    query: match.queryParams.map((q) => valueTest(q.name, q.type, q.value)),
  };
}

function valueTest(name: string, type: 'Exact' | 'RegularExpression', value: string): ValueTest {
  return type === 'Exact' ? { name, exact: value } : { name, regex: fullMatch(value) };
}

// Regular expressions are implementation-specific in Gateway API; like Envoy (RE2 full match) the
// whole value must match, not a substring.
function fullMatch(source: string): RegExp {
  return new RegExp(`^(?:${source})$`);
}

function normalizeHost(host: string): string {
  if (host === '') return '';
  let end = host.length;
  if (host.charCodeAt(0) === 91 /* [ */) {
    const close = host.indexOf(']');
    end = close < 0 ? end : close + 1;
  } else {
    const colon = host.indexOf(':');
    if (colon >= 0) end = colon;
  }
  // A trailing dot names the same host.
  if (end > 0 && host.charCodeAt(end - 1) === 46) end -= 1;
  const name = end === host.length ? host : host.slice(0, end);
  return hasUpper(name) ? name.toLowerCase() : name;
}

function hasUpper(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return true;
  }
  return false;
}

function hostMatches(hosts: readonly HostTest[], host: string): boolean {
  for (const h of hosts) {
    if (!h.wildcard) {
      if (h.value === host) return true;
    } else if (host.length > h.value.length && host.endsWith(h.value)) {
      // `*.example.com` matches `a.example.com` and `a.b.example.com`, not `example.com`.
      return true;
    }
  }
  return false;
}

function planMatches(plan: MatchPlan, req: MatchRequest): boolean {
  if (plan.method !== undefined && plan.method !== req.method) return false;
  const path = req.path;
  switch (plan.pathKind) {
    case 1:
      if (path !== plan.pathValue) return false;
      break;
    case 2: {
      const n = plan.pathValue.length;
      // Element-wise: `/abc` matches `/abc`, `/abc/` and `/abc/def`, not `/abcd`.
      if (!path.startsWith(plan.pathValue)) return false;
      if (n !== path.length && path.charCodeAt(n) !== 47) return false;
      break;
    }
    case 3:
      if (plan.pathRegex === undefined || !plan.pathRegex.test(path)) return false;
      break;
    default:
      break;
  }
  for (const test of plan.headers) {
    const value = headerValue(req.names, req.values, test.name);
    if (value === undefined || !valueMatches(test, value)) return false;
  }
  for (const test of plan.query) {
    const value = queryParam(req.query, test.name);
    if (value === undefined || !valueMatches(test, value)) return false;
  }
  return true;
}

/**
 * The value of header `name` (lower-case): repeated fields are joined with `, ` (RFC 9110 §5.3),
 * which allocates only when the header really is repeated.
 */
export function headerValue(names: readonly string[], values: readonly string[], name: string): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < names.length; i++) {
    if (names[i] === name) found = found === undefined ? values[i] : `${found}, ${values[i] ?? ''}`;
  }
  return found;
}

function valueMatches(test: ValueTest, value: string): boolean {
  return test.exact !== undefined ? test.exact === value : test.regex !== undefined && test.regex.test(value);
}

/**
 * The first value of query parameter `name` in `query` (no `?`; decoded), or undefined. Only the
 * first occurrence counts (spec). Names compare exactly (case-sensitive) after decoding.
 */
export function queryParam(query: string, name: string): string | undefined {
  let i = 0;
  const len = query.length;
  while (i < len) {
    let amp = query.indexOf('&', i);
    if (amp < 0) amp = len;
    const eq = query.indexOf('=', i);
    const nameEnd = eq >= 0 && eq < amp ? eq : amp;
    if (componentEquals(query, i, nameEnd, name)) {
      return nameEnd === amp ? '' : decodeComponent(query.slice(nameEnd + 1, amp));
    }
    i = amp + 1;
  }
  return undefined;
}

function componentEquals(s: string, start: number, end: number, name: string): boolean {
  if (end - start === name.length && s.startsWith(name, start)) return true;
  // Slow path only for encoded names.
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 || c === 43) return decodeComponent(s.slice(start, end)) === name;
  }
  return false;
}

function decodeComponent(s: string): string {
  if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

// The gateway's compiled configuration: what the control side (route-compiler.ts: Gateways,
// HTTPRoutes, Services, EndpointSlices, Pods -> RouteTable) hands to the data plane workers
// (gateway-worker.ts) over IPC. Plain data only (structured-clone safe: no functions, no RegExp
// objects — workers compile regexes once per table version).

export interface RouteTable {
  /** Increases with every change; workers swap tables atomically between requests. */
  readonly version: number;
  readonly listeners: readonly ListenerConfig[];
}

/** One port the gateway binds (all Gateway listeners on that port merged). */
export interface ListenerConfig {
  readonly port: number;
  /**
   * Set for an HTTPS port (TLS terminated here, then HTTP/1.1 as on any port). Holds private
   * keys: it may cross IPC to the workers, but never goes into a log line or /stats.
   */
  readonly tls?: ListenerTls;
  /** Rules of every route attached to this port, in Gateway API precedence order: first match wins. */
  readonly rules: readonly CompiledRule[];
}

/** The certificates of an HTTPS port, one per listener hostname. */
export interface ListenerTls {
  /**
   * SNI picks the entry whose hostname equals the server name, else the longest `*.` wildcard
   * that covers it, else the first entry: the default (a listener without hostname when the port
   * has one). Hostnames lower-cased; undefined on the default entry of a listener without one.
   */
  readonly certificates: readonly TlsCertificate[];
}

export interface TlsCertificate {
  readonly hostname?: string;
  readonly certPem: string;
  readonly keyPem: string;
}

export type PathMatchType = 'Exact' | 'PathPrefix' | 'RegularExpression';
export type ValueMatchType = 'Exact' | 'RegularExpression';

export interface CompiledMatch {
  readonly path?: { readonly type: PathMatchType; readonly value: string };
  /** Header names lower-cased. */
  readonly headers: readonly { readonly name: string; readonly type: ValueMatchType; readonly value: string }[];
  readonly queryParams: readonly { readonly name: string; readonly type: ValueMatchType; readonly value: string }[];
  readonly method?: string;
}

export interface HeaderModifier {
  readonly set: readonly { readonly name: string; readonly value: string }[];
  readonly add: readonly { readonly name: string; readonly value: string }[];
  readonly remove: readonly string[];
}

export interface RedirectFilter {
  readonly scheme?: 'http' | 'https';
  readonly hostname?: string;
  readonly port?: number;
  readonly path?: { readonly type: 'ReplaceFullPath' | 'ReplacePrefixMatch'; readonly value: string };
  /** 301 or 302 (default 302). */
  readonly statusCode: number;
}

/** Sticky cohorts (k8ts extension): a user's bucket (hash of this header/cookie, 0..9999) picks the backend. */
export interface CohortKey {
  readonly source: 'header' | 'cookie';
  /** Header names lower-cased. */
  readonly name: string;
}

export interface CompiledRule {
  /** `namespace/name` of the HTTPRoute. */
  readonly route: string;
  readonly ruleIndex: number;
  /** Empty: any host. Lower-cased; a leading `*.` is a wildcard. */
  readonly hostnames: readonly string[];
  /** Any of them (OR); never empty (the default match is PathPrefix /). */
  readonly matches: readonly CompiledMatch[];
  readonly requestHeaders?: HeaderModifier;
  readonly responseHeaders?: HeaderModifier;
  readonly redirect?: RedirectFilter;
  /** URLRewrite path (ReplaceFullPath / ReplacePrefixMatch) and hostname. */
  readonly rewrite?: { readonly hostname?: string; readonly path?: { readonly type: 'ReplaceFullPath' | 'ReplacePrefixMatch'; readonly value: string } };
  readonly backends: readonly WeightedBackend[];
  readonly cohort?: CohortKey;
  /** HTTPRoute rules[].timeouts, in ms (0 or absent: none). */
  readonly requestTimeoutMs?: number;
  readonly backendRequestTimeoutMs?: number;
}

export interface WeightedBackend {
  /** `namespace/name` of the Service. */
  readonly service: string;
  readonly port: number;
  /** Proportion of the rule's weight sum; 0 gets no traffic. */
  readonly weight: number;
  /** Empty: the backend is unresolved/has no endpoints (its share answers 503, or 500 when unresolved, as the spec says). */
  readonly endpoints: readonly GatewayEndpoint[];
  /** Why the backend cannot be used (BackendNotFound, ...): requests routed here get 500. */
  readonly invalid?: string;
}

export interface GatewayEndpoint {
  readonly address: string;
  readonly port: number;
  /** EndpointSlice conditions. New requests go to ready ones; terminating ones only finish in-flight work. */
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  readonly pod?: string;
  /** The pod's pod-template-hash (or rollouts-pod-template-hash) label: the revision for metrics. */
  readonly revision?: string;
}

// gateway.networking.k8s.io/v1 HTTPRoute (upstream apis/v1/httproute_types.go), standard channel.
// See ../README.md for how these files become OpenAPI schemas.
import type { ListMeta, ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { BackendObjectReference, LocalObjectReference, ParentReference, RouteParentStatus } from './shared-types.js';

/** HTTPRoute routes HTTP requests, matched by hostname, path, headers, query parameters and method, to backends, with filters on the way. */
export interface HTTPRoute {
  /** APIVersion defines the versioned schema of this representation of an object. */
  apiVersion?: 'gateway.networking.k8s.io/v1';
  /** Kind is a string value representing the REST resource this object represents. */
  kind?: 'HTTPRoute';
  /** Standard object's metadata. */
  metadata?: ObjectMeta;
  /** Spec defines the desired state of HTTPRoute. */
  spec: HTTPRouteSpec;
  /** Status defines the current state of HTTPRoute, written by the controllers of its parents. */
  status?: HTTPRouteStatus;
}

/** HTTPRouteList is a list of HTTPRoute. */
export interface HTTPRouteList {
  /** APIVersion defines the versioned schema of this representation of an object. */
  apiVersion?: 'gateway.networking.k8s.io/v1';
  /** Items is the list of HTTPRoute. */
  items: Array<HTTPRoute>;
  /** Kind is a string value representing the REST resource this object represents. */
  kind?: 'HTTPRouteList';
  /** Standard list metadata. */
  metadata?: ListMeta;
}

/** HTTPRouteSpec is the desired state of an HTTPRoute. */
export interface HTTPRouteSpec {
  /** ParentRefs are the Gateways (or listeners of them) this Route wants to attach to (at most 32). */
  parentRefs?: Array<ParentReference>;
  /** Hostnames to match against the Host header, intersected with the listener's hostname. A leading "*." is a wildcard label. Unset matches all (at most 16). */
  hostnames?: Array<string>;
  /** Rules are the matchers, filters and actions (1 to 16). Defaults to one rule matching PathPrefix "/". */
  rules?: Array<HTTPRouteRule>;
}

/** HTTPRouteRule matches requests and says what to do with them. */
export interface HTTPRouteRule {
  /** Name of the rule, unique within the Route. */
  name?: string;
  /** Matches are ORed: a request matching any of them matches the rule. Defaults to one PathPrefix "/" match (at most 64). */
  matches?: Array<HTTPRouteMatch>;
  /** Filters are applied, in order, to requests that match the rule (at most 16). */
  filters?: Array<HTTPRouteFilter>;
  /** BackendRefs are the backends matching requests go to, split by weight. With none (and no redirect), requests get a 500 (at most 16). */
  backendRefs?: Array<HTTPBackendRef>;
  /** Timeouts for requests matching this rule. */
  timeouts?: HTTPRouteTimeouts;
}

/** HTTPRouteTimeouts are durations like "10s", "1m30s" or "500ms"; "0s" disables the timeout. */
export interface HTTPRouteTimeouts {
  /** Request is the maximum time the gateway takes to answer a request, retries included. */
  request?: string;
  /** BackendRequest is the timeout of one request from the gateway to a backend. Must not exceed request. */
  backendRequest?: string;
}

/** HTTPRouteMatch is a predicate on a request; all its parts must match (they are ANDed). */
export interface HTTPRouteMatch {
  /** Path matcher. Defaults to {type: PathPrefix, value: "/"}. */
  path?: HTTPPathMatch;
  /** Headers that must all match (names unique, case-insensitive; at most 16). */
  headers?: Array<HTTPHeaderMatch>;
  /** QueryParams that must all match (names unique, case-sensitive; at most 16). */
  queryParams?: Array<HTTPQueryParamMatch>;
  /** Method the request must use. */
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'CONNECT' | 'OPTIONS' | 'TRACE' | 'PATCH';
}

/** Path match types: Exact, PathPrefix (element-wise: "/abc" matches "/abc/x" but not "/abcd") or RegularExpression. */
export type PathMatchType = 'Exact' | 'PathPrefix' | 'RegularExpression';

/** HTTPPathMatch matches the request path. */
export interface HTTPPathMatch {
  /** Type of match: Exact, PathPrefix (the default) or RegularExpression. */
  type?: PathMatchType;
  /** Value to match against; must start with "/". Defaults to "/". */
  value?: string;
}

/** Header and query parameter match types. */
export type HeaderMatchType = 'Exact' | 'RegularExpression';

/** HTTPHeaderMatch matches one request header. */
export interface HTTPHeaderMatch {
  /** Type of match: Exact (the default) or RegularExpression. */
  type?: HeaderMatchType;
  /** Name of the header, matched case-insensitively. */
  name: string;
  /** Value the header must have. */
  value: string;
}

/** HTTPQueryParamMatch matches one query parameter. */
export interface HTTPQueryParamMatch {
  /** Type of match: Exact (the default) or RegularExpression. */
  type?: HeaderMatchType;
  /** Name of the query parameter, matched exactly. */
  name: string;
  /** Value the parameter must have. */
  value: string;
}

/** Filter types. */
export type HTTPRouteFilterType =
  | 'RequestHeaderModifier' | 'ResponseHeaderModifier' | 'RequestMirror' | 'RequestRedirect' | 'URLRewrite' | 'ExtensionRef' | 'CORS';

/** HTTPRouteFilter is one processing step; exactly the field named by type must be set. */
export interface HTTPRouteFilter {
  /** Type of the filter. */
  type: HTTPRouteFilterType;
  /** RequestHeaderModifier modifies request headers. */
  requestHeaderModifier?: HTTPHeaderFilter;
  /** ResponseHeaderModifier modifies response headers. */
  responseHeaderModifier?: HTTPHeaderFilter;
  /** RequestMirror mirrors requests to another backend, ignoring its responses. */
  requestMirror?: HTTPRequestMirrorFilter;
  /** RequestRedirect answers with a redirect instead of forwarding. Not allowed together with URLRewrite. */
  requestRedirect?: HTTPRequestRedirectFilter;
  /** URLRewrite rewrites the host or path while forwarding. */
  urlRewrite?: HTTPURLRewriteFilter;
  /** CORS answers and decorates cross-origin requests. */
  cors?: HTTPCORSFilter;
  /** ExtensionRef is an implementation-specific filter. */
  extensionRef?: LocalObjectReference;
}

/** HTTPHeader is a header name and value. */
export interface HTTPHeader {
  /** Name of the header (case-insensitive). */
  name: string;
  /** Value of the header. */
  value: string;
}

/** HTTPHeaderFilter modifies headers: set overwrites, add appends, remove deletes. */
export interface HTTPHeaderFilter {
  /** Set overwrites the named headers with the given values. */
  set?: Array<HTTPHeader>;
  /** Add appends the given values to the named headers. */
  add?: Array<HTTPHeader>;
  /** Remove deletes the named headers. */
  remove?: Array<string>;
}

/** HTTPPathModifier says how to change a path. */
export interface HTTPPathModifier {
  /** Type is ReplaceFullPath or ReplacePrefixMatch. */
  type: 'ReplaceFullPath' | 'ReplacePrefixMatch';
  /** ReplaceFullPath is the new path, when type is ReplaceFullPath. */
  replaceFullPath?: string;
  /** ReplacePrefixMatch replaces the matched PathPrefix, when type is ReplacePrefixMatch. */
  replacePrefixMatch?: string;
}

/** HTTPRequestRedirectFilter answers with a redirect; unset fields keep the request's values. */
export interface HTTPRequestRedirectFilter {
  /** Scheme of the Location header: http or https. */
  scheme?: 'http' | 'https';
  /** Hostname of the Location header. */
  hostname?: string;
  /** Path modification for the Location header. */
  path?: HTTPPathModifier;
  /** Port of the Location header (1-65535). */
  port?: number;
  /** StatusCode of the response: 301, 302 (the default), 303, 307 or 308. */
  statusCode?: 301 | 302 | 303 | 307 | 308;
}

/** HTTPURLRewriteFilter rewrites the request while forwarding it. */
export interface HTTPURLRewriteFilter {
  /** Hostname replaces the Host header. */
  hostname?: string;
  /** Path rewrites the path. */
  path?: HTTPPathModifier;
}

/** HTTPRequestMirrorFilter sends a copy of requests to another backend. */
export interface HTTPRequestMirrorFilter {
  /** BackendRef is where mirrored requests go. */
  backendRef: BackendObjectReference;
  /** Percent of requests to mirror (0-100). Only one of percent and fraction may be set. */
  percent?: number;
  /** Fraction of requests to mirror. */
  fraction?: Fraction;
}

/** Fraction is numerator/denominator. */
export interface Fraction {
  /** Numerator (>= 0, <= denominator). */
  numerator: number;
  /** Denominator (>= 1). Defaults to 100. */
  denominator?: number;
}

/** HTTPCORSFilter configures Cross-Origin Resource Sharing responses. */
export interface HTTPCORSFilter {
  /** AllowOrigins are the origins allowed to read responses ("*" for any). */
  allowOrigins?: Array<string>;
  /** AllowCredentials says whether credentials are allowed. */
  allowCredentials?: boolean;
  /** AllowMethods are the methods allowed ("*" for any). */
  allowMethods?: Array<'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'CONNECT' | 'OPTIONS' | 'TRACE' | 'PATCH' | '*'>;
  /** AllowHeaders are the request headers allowed. */
  allowHeaders?: Array<string>;
  /** ExposeHeaders are the response headers exposed to the client. */
  exposeHeaders?: Array<string>;
  /** MaxAge is how long (seconds) a preflight answer may be cached. Defaults to 5. */
  maxAge?: number;
}

/** HTTPBackendRef is a weighted backend of a rule, with filters applied only when it is chosen. */
export interface HTTPBackendRef {
  /** Group of the referent. Defaults to "" (the core API group). */
  group?: string;
  /** Kind of the referent. Defaults to "Service". */
  kind?: string;
  /** Name of the referent. */
  name: string;
  /** Namespace of the backend. When unspecified, the Route's namespace. A reference into another namespace needs a ReferenceGrant there. */
  namespace?: string;
  /** Port of the backend (1-65535). Required when the referent is a Service. */
  port?: number;
  /** Weight is this backend's proportion of the rule's requests: weight divided by the sum of the rule's weights. 0 sends it nothing. Defaults to 1; 0 to 1000000. */
  weight?: number;
  /** Filters applied only to requests sent to this backend. */
  filters?: Array<HTTPRouteFilter>;
}

/** HTTPRouteStatus is the observed state of an HTTPRoute, one entry per parent. */
export interface HTTPRouteStatus {
  /** Parents is one entry per (parentRef, controller) pair that a controller has processed. */
  parents: Array<RouteParentStatus>;
}

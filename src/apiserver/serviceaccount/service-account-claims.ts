// The claims of a ServiceAccount token, as upstream's pkg/serviceaccount/claims.go writes them:
//   iss, sub "system:serviceaccount:<ns>:<name>", aud, exp, iat, nbf (seconds), jti (a UUID), and
//   "kubernetes.io": { namespace, serviceaccount {name, uid}, and the object the token is bound
//   to: pod {name, uid} (plus the pod's node when it has one), secret, or node; and warnafter for
//   an extended pod token }.
// Keys are written in the order upstream's JSON has them (its encoder sorts map keys).

export interface ObjectRef {
  readonly name: string;
  readonly uid: string;
}

/** What a token may be bound to: at most one of pod / secret / node (node also rides with pod). */
export interface BoundObjects {
  readonly pod?: ObjectRef;
  readonly secret?: ObjectRef;
  /** With `pod`: the node it runs on (uid '' if that Node object is gone). Alone: a Node binding. */
  readonly node?: ObjectRef;
}

/** A reference as the token carries it: upstream omits an empty uid. */
export interface ClaimRef {
  readonly name: string;
  readonly uid?: string;
}

export interface KubernetesClaim {
  readonly namespace: string;
  readonly node?: ClaimRef;
  readonly pod?: ClaimRef;
  readonly secret?: ClaimRef;
  readonly serviceaccount: ClaimRef;
  /** Seconds since the epoch after which use of an extended token is only worth a warning upstream. */
  readonly warnafter?: number;
}

export interface ServiceAccountClaims {
  readonly aud: readonly string[];
  /** Seconds since the epoch. */
  readonly exp: number;
  readonly iat: number;
  readonly iss: string;
  readonly jti: string;
  readonly 'kubernetes.io': KubernetesClaim;
  readonly nbf: number;
  readonly sub: string;
}

export const SERVICE_ACCOUNT_USER_PREFIX = 'system:serviceaccount:';

/** `system:serviceaccount:<namespace>:<name>`, upstream's MakeUsername. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USER_PREFIX}${namespace}:${name}`;
}

export interface ClaimsInput {
  readonly issuer: string;
  readonly audiences: readonly string[];
  readonly namespace: string;
  readonly serviceAccount: ObjectRef;
  readonly bound: BoundObjects;
  readonly now: Date;
  readonly expirationSeconds: number;
  readonly jti: string;
  /** An extended token (token-request.ts): the lifetime the client asked for, as `warnafter`. */
  readonly warnAfterSeconds?: number;
}

function ref(object: ObjectRef): ClaimRef {
  // Upstream's ref has omitempty on both fields: a node whose object is gone carries only its name.
  return { name: object.name, ...(object.uid !== '' ? { uid: object.uid } : {}) };
}

export function buildClaims(input: ClaimsInput): ServiceAccountClaims {
  const now = Math.floor(input.now.getTime() / 1000);
  const { pod, secret, node } = input.bound;
  const kubernetes: KubernetesClaim = {
    namespace: input.namespace,
    ...(node ? { node: ref(node) } : {}),
    ...(pod ? { pod: ref(pod) } : {}),
    ...(secret ? { secret: ref(secret) } : {}),
    serviceaccount: ref(input.serviceAccount),
    ...(input.warnAfterSeconds !== undefined ? { warnafter: now + input.warnAfterSeconds } : {}),
  };
  return {
    aud: [...input.audiences],
    exp: now + input.expirationSeconds,
    iat: now,
    iss: input.issuer,
    jti: input.jti,
    'kubernetes.io': kubernetes,
    nbf: now,
    sub: serviceAccountUsername(input.namespace, input.serviceAccount.name),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseRef(value: unknown): ClaimRef | undefined {
  if (!isObject(value) || typeof value['name'] !== 'string' || value['name'] === '') return undefined;
  const uid = value['uid'];
  if (uid === undefined) return { name: value['name'] };
  return typeof uid === 'string' ? { name: value['name'], uid } : undefined;
}

/**
 * The claims of a verified payload, or undefined when it lacks what a ServiceAccount token must
 * have. `aud` may be one string (RFC 7519 allows it) or a list.
 */
export function parseClaims(payload: Record<string, unknown>): ServiceAccountClaims | undefined {
  const { iss, sub, exp, iat, nbf, jti } = payload;
  const aud = typeof payload['aud'] === 'string' ? [payload['aud']] : payload['aud'];
  if (typeof iss !== 'string' || typeof sub !== 'string' || typeof exp !== 'number') return undefined;
  if (!Array.isArray(aud) || !aud.every((a) => typeof a === 'string')) return undefined;
  const k = payload['kubernetes.io'];
  if (!isObject(k) || typeof k['namespace'] !== 'string' || k['namespace'] === '') return undefined;
  const serviceaccount = parseRef(k['serviceaccount']);
  if (!serviceaccount) return undefined;
  // Every present binding must parse: a malformed one must not silently drop a check.
  const bound: { pod?: ClaimRef; secret?: ClaimRef; node?: ClaimRef } = {};
  for (const kind of ['pod', 'secret', 'node'] as const) {
    if (k[kind] === undefined) continue;
    const parsed = parseRef(k[kind]);
    if (!parsed) return undefined;
    bound[kind] = parsed;
  }
  if (sub !== serviceAccountUsername(k['namespace'], serviceaccount.name)) return undefined;
  return {
    aud,
    exp,
    iat: typeof iat === 'number' ? iat : 0,
    iss,
    jti: typeof jti === 'string' ? jti : '',
    'kubernetes.io': { namespace: k['namespace'], serviceaccount, ...bound },
    nbf: typeof nbf === 'number' ? nbf : 0,
    sub,
  };
}

// POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token (`kubectl create token`): an
// authentication.k8s.io/v1 TokenRequest in, the same with status.token and
// status.expirationTimestamp out (201). Never stored. Upstream's TokenREST.Create, restated:
//   - metadata.name / namespace, when given, must be the URL's (422);
//   - spec.expirationSeconds defaults to 3600 and must be 600 .. 2^32 (422);
//   - the ServiceAccount must exist (404), audiences default to the API server's;
//   - spec.boundObjectRef may name a Pod (which must run as this ServiceAccount), a Secret or a
//     Node of the core group (other kinds: 400); it must exist (404) and, when a uid is given,
//     have that uid (409). Its name and uid go into the token, which dies with the object.
import { randomUUID } from 'node:crypto';
import { invalid, type FieldError } from '../../api/field-error.js';
import type { KubeObject } from '../../api/object.js';
import { BadRequestError } from '../../lib/errors.js';
import { InvalidError, ResourceConflictError } from '../registry/api-errors.js';
import { rfc3339 } from '../registry/registry-context.js';
import type { ApiRegistryView, ResourceRegistry } from '../registry/registry-types.js';
import { buildClaims, type BoundObjects, type ObjectRef } from './service-account-claims.js';
import type { ServiceAccountTokens } from './service-account-tokens.js';

export const TOKEN_REQUEST_API_VERSION = 'authentication.k8s.io/v1';
const TOKEN_REQUEST_KIND = { group: 'authentication.k8s.io', kind: 'TokenRequest' };
/** Upstream's defaults and limits (SetDefaults_TokenRequestSpec, MinTokenAgeSec, 1<<32). */
export const DEFAULT_EXPIRATION_SECONDS = 3600;
export const MIN_EXPIRATION_SECONDS = 600;
export const MAX_EXPIRATION_SECONDS = 2 ** 32;

export interface TokenRequestContext {
  readonly registry: ApiRegistryView;
  readonly tokens: ServiceAccountTokens;
  readonly now: () => Date;
  /** The token's jti (default: a random UUID, as upstream). */
  readonly newId?: () => string;
  /** Upstream --service-account-extend-token-expiration (default true): see extendedLifetime. */
  readonly extendExpiration?: boolean;
}

/** Upstream WarnOnlyBoundTokenExpirationSeconds: what kubelet asks for a kube-api-access token. */
export const WARN_ONLY_EXPIRATION_SECONDS = 3607;
/** Upstream ExpirationExtensionSeconds: one year. */
export const EXTENDED_EXPIRATION_SECONDS = 365 * 24 * 60 * 60;

/**
 * Upstream's safe transition to short-lived pod tokens: a pod-bound request for exactly 3607 s
 * for the API's own audiences gets a token valid for a year, with `warnafter` at 3607 s; the status
 * still reports the 3607 s expiry, so kubelet (and our agent) refresh it on that schedule while an
 * old client that reads the token file once keeps working.
 */
function extendedLifetime(context: TokenRequestContext, bound: BoundObjects, seconds: number, audiences: readonly string[]): number | undefined {
  if (context.extendExpiration === false || !bound.pod || seconds !== WARN_ONLY_EXPIRATION_SECONDS) return undefined;
  return audiences.every((a) => context.tokens.apiAudiences.includes(a)) ? EXTENDED_EXPIRATION_SECONDS : undefined;
}

interface BoundObjectReference {
  kind?: string;
  apiVersion?: string;
  name?: string;
  uid?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown, field: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new BadRequestError(`${field} must be a string`);
  return value;
}

/** The spec as sent, type-checked the way decoding into the Go struct would (400 otherwise). */
function readSpec(body: KubeObject): { audiences: string[]; expirationSeconds: number; boundObjectRef?: BoundObjectReference } {
  const spec = body['spec'] ?? {};
  if (!isObject(spec)) throw new BadRequestError('spec must be an object');
  const audiences = spec['audiences'] ?? [];
  if (!Array.isArray(audiences) || !audiences.every((a) => typeof a === 'string')) throw new BadRequestError('spec.audiences must be a list of strings');
  const seconds = spec['expirationSeconds'] ?? DEFAULT_EXPIRATION_SECONDS;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds)) throw new BadRequestError('spec.expirationSeconds must be an integer');
  const ref = spec['boundObjectRef'];
  if (ref === undefined || ref === null) return { audiences, expirationSeconds: seconds };
  if (!isObject(ref)) throw new BadRequestError('spec.boundObjectRef must be an object');
  const boundObjectRef: BoundObjectReference = {};
  for (const key of ['kind', 'apiVersion', 'name', 'uid'] as const) {
    const value = optionalString(ref[key], `spec.boundObjectRef.${key}`);
    if (value !== '') boundObjectRef[key] = value;
  }
  return { audiences, expirationSeconds: seconds, boundObjectRef };
}

function expirationErrors(seconds: number): FieldError[] {
  if (seconds < MIN_EXPIRATION_SECONDS) return [invalid('spec.expirationSeconds', seconds, 'may not specify a duration less than 10 minutes')];
  if (seconds > MAX_EXPIRATION_SECONDS) return [invalid('spec.expirationSeconds', seconds, 'may not specify a duration larger than 2^32 seconds')];
  return [];
}

function core(registry: ApiRegistryView, resource: string): ResourceRegistry {
  const served = registry.lookup('', 'v1', resource);
  if (!served) throw new BadRequestError(`${resource} are not served`);
  return served;
}

function refOf(object: KubeObject): ObjectRef {
  return { name: object.metadata?.name ?? '', uid: object.metadata?.uid ?? '' };
}

/** Finds what boundObjectRef names; throws upstream's 400 / 404 / 409. */
async function resolveBinding(registry: ApiRegistryView, namespace: string, account: string, ref: BoundObjectReference): Promise<BoundObjects> {
  const [group, version] = (ref.apiVersion ?? '').includes('/') ? (ref.apiVersion ?? '').split('/', 2) : ['', ref.apiVersion ?? ''];
  const kind = ref.kind ?? '';
  const name = ref.name ?? '';
  let bound: BoundObjects;
  let uid: string;
  if (group === '' && kind === 'Pod') {
    const pod = await core(registry, 'pods').get(namespace, name);
    const podSpec = isObject(pod['spec']) ? pod['spec'] : {};
    if (podSpec['serviceAccountName'] !== account) {
      throw new BadRequestError(`cannot bind token for serviceaccount ${JSON.stringify(account)} to pod running with different serviceaccount name.`);
    }
    uid = pod.metadata?.uid ?? '';
    const nodeName = typeof podSpec['nodeName'] === 'string' ? podSpec['nodeName'] : '';
    // The pod's node rides along as information; a Node object that is gone leaves only its name.
    const node = nodeName === '' ? undefined : await core(registry, 'nodes').get(undefined, nodeName).catch(() => undefined);
    bound = { pod: refOf(pod), ...(nodeName !== '' ? { node: node ? refOf(node) : { name: nodeName, uid: '' } } : {}) };
  } else if (group === '' && kind === 'Node') {
    const node = await core(registry, 'nodes').get(undefined, name);
    uid = node.metadata?.uid ?? '';
    bound = { node: refOf(node) };
  } else if (group === '' && kind === 'Secret') {
    const secret = await core(registry, 'secrets').get(namespace, name);
    uid = secret.metadata?.uid ?? '';
    bound = { secret: refOf(secret) };
  } else {
    throw new BadRequestError(`cannot bind token to object of type ${group}/${version ?? ''}, Kind=${kind}`);
  }
  if (ref.uid !== undefined && ref.uid !== uid) {
    throw new ResourceConflictError({ group, resource: kind }, name,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
  }
  return bound;
}

/** Answers one TokenRequest for ServiceAccount `namespace/name`; the 201 body. */
export async function createTokenRequest(context: TokenRequestContext, namespace: string, name: string, body: KubeObject): Promise<KubeObject> {
  if ((body.apiVersion !== undefined && body.apiVersion !== TOKEN_REQUEST_API_VERSION) || (body.kind !== undefined && body.kind !== 'TokenRequest')) {
    throw new BadRequestError(`the body must be a ${TOKEN_REQUEST_API_VERSION} TokenRequest, not ${body.apiVersion ?? '?'} ${body.kind ?? '?'}`);
  }
  const metadata = body.metadata ?? {};
  if (metadata.name && metadata.name !== name) {
    throw new InvalidError(TOKEN_REQUEST_KIND, name, [invalid('metadata.name', metadata.name, 'must match the service account name if specified')]);
  }
  if (metadata.namespace && metadata.namespace !== namespace) {
    throw new InvalidError(TOKEN_REQUEST_KIND, name, [invalid('metadata.namespace', metadata.namespace, 'must match the service account namespace if specified')]);
  }
  const spec = readSpec(body);
  const account = await core(context.registry, 'serviceaccounts').get(namespace, name);
  const audiences = spec.audiences.length > 0 ? spec.audiences : [...context.tokens.apiAudiences];
  // Read the clock once: status.expirationTimestamp must not be later than the token's exp.
  const now = context.now();
  const errors = expirationErrors(spec.expirationSeconds);
  if (errors.length > 0) throw new InvalidError(TOKEN_REQUEST_KIND, '', errors);
  const bound = spec.boundObjectRef ? await resolveBinding(context.registry, namespace, name, spec.boundObjectRef) : {};
  const extended = extendedLifetime(context, bound, spec.expirationSeconds, audiences);
  const claims = buildClaims({
    issuer: context.tokens.issuer, audiences, namespace, serviceAccount: refOf(account), bound, now,
    expirationSeconds: extended ?? spec.expirationSeconds, jti: (context.newId ?? randomUUID)(),
    ...(extended !== undefined ? { warnAfterSeconds: spec.expirationSeconds } : {}),
  });
  return {
    apiVersion: TOKEN_REQUEST_API_VERSION,
    kind: 'TokenRequest',
    metadata: { ...metadata, name, namespace, creationTimestamp: rfc3339(now) },
    spec: { audiences, expirationSeconds: spec.expirationSeconds, ...(spec.boundObjectRef ? { boundObjectRef: spec.boundObjectRef } : {}) },
    // The requested lifetime, also for an extended token (upstream: now + spec.expirationSeconds).
    status: { token: await context.tokens.sign(claims), expirationTimestamp: rfc3339(new Date((claims.iat + spec.expirationSeconds) * 1000)) },
  };
}

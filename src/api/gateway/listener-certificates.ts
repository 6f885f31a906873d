// The certificates of an HTTPS listener (tls.mode Terminate): each certificateRef must name a core
// Secret (InvalidCertificateRef otherwise), in the Gateway's namespace or allowed by a
// ReferenceGrant in the Secret's namespace (RefNotPermitted), of type kubernetes.io/tls with a
// PEM certificate and a matching private key (InvalidCertificateRef). Both the status controller
// (listener conditions) and the gateway's route compiler (what the data plane serves) use it, so
// that a listener is programmed exactly when status says so.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { Listener, ReferenceGrant, SecretObjectReference } from './index.js';
import { GATEWAY_GROUP, GatewayConditionReason } from './well-known.js';

export const TLS_SECRET_TYPE = 'kubernetes.io/tls';

export interface CertificateLookup {
  secret(namespace: string, name: string): Secret | undefined;
  /** ReferenceGrants of one namespace. */
  grantsIn(namespace: string): readonly ReferenceGrant[];
}

/** A certificate chain and its private key, as PEM. Key material: never log it. */
export interface ServingCertificate {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface ListenerCertificates {
  /** The usable certificates, in certificateRefs order. */
  readonly certificates: readonly ServingCertificate[];
  /** The first ref that does not resolve (ResolvedRefs False with this reason), or undefined. */
  readonly problem: { readonly reason: string; readonly message: string } | undefined;
}

/** Whether a grant in the Secret's namespace lets Gateways of `fromNamespace` refer to it. */
export function grantAllowsSecret(grants: readonly ReferenceGrant[], fromNamespace: string, secretName: string): boolean {
  return grants.some((grant) =>
    grant.spec.from.some((f) => f.group === GATEWAY_GROUP && f.kind === 'Gateway' && f.namespace === fromNamespace) &&
    grant.spec.to.some((t) => t.group === '' && t.kind === 'Secret' && (t.name === undefined || t.name === '' || t.name === secretName)));
}

type PemCheck = ServingCertificate | { readonly invalid: string };

/**
 * Parsing a key costs; informer objects are replaced (not mutated) on change, so the verdict of
 * one Secret object is computed once and kept as long as the object lives.
 */
const checked = new WeakMap<Secret, PemCheck>();

function decode(value: string | undefined): string {
  return value === undefined ? '' : Buffer.from(value, 'base64').toString('utf8');
}

function checkSecret(secret: Secret): PemCheck {
  const cached = checked.get(secret);
  if (cached !== undefined) return cached;
  let result: PemCheck;
  if (secret.type !== TLS_SECRET_TYPE) result = { invalid: `is of type ${secret.type ?? 'Opaque'}, not ${TLS_SECRET_TYPE}` };
  else {
    const certPem = decode(secret.data?.['tls.crt']);
    const keyPem = decode(secret.data?.['tls.key']);
    result = checkPem(certPem, keyPem);
  }
  checked.set(secret, result);
  return result;
}

function checkPem(certPem: string, keyPem: string): PemCheck {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return { invalid: 'has no valid PEM certificate in tls.crt' };
  }
  try {
    // The message of a key parse error may quote the input: never pass it on.
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return { invalid: 'has a tls.key that does not match its certificate' };
  } catch {
    return { invalid: 'has no valid PEM private key in tls.key' };
  }
  return { certPem, keyPem };
}

function resolveRef(gatewayNamespace: string, ref: SecretObjectReference, lookup: CertificateLookup): PemCheck & { reason?: string } {
  const group = ref.group ?? '';
  const kind = ref.kind ?? 'Secret';
  if (group !== '' || kind !== 'Secret') {
    return { invalid: `certificateRef ${ref.name}: unsupported kind ${group === '' ? kind : `${kind}.${group}`}; only Secret is supported`, reason: GatewayConditionReason.InvalidCertificateRef };
  }
  const namespace = ref.namespace ?? gatewayNamespace;
  if (namespace !== gatewayNamespace && !grantAllowsSecret(lookup.grantsIn(namespace), gatewayNamespace, ref.name)) {
    return { invalid: `certificateRef ${namespace}/${ref.name} is in another namespace and no ReferenceGrant allows it`, reason: GatewayConditionReason.RefNotPermitted };
  }
  const secret = lookup.secret(namespace, ref.name);
  if (secret === undefined) return { invalid: `Secret ${namespace}/${ref.name} not found`, reason: GatewayConditionReason.InvalidCertificateRef };
  const result = checkSecret(secret);
  return 'invalid' in result ? { invalid: `Secret ${namespace}/${ref.name} ${result.invalid}`, reason: GatewayConditionReason.InvalidCertificateRef } : result;
}

/** The certificates an HTTPS listener of a Gateway in `gatewayNamespace` serves, and why not all resolve. */
export function listenerCertificates(gatewayNamespace: string, listener: Listener, lookup: CertificateLookup): ListenerCertificates {
  const refs = listener.tls?.certificateRefs ?? [];
  if (refs.length === 0) {
    return { certificates: [], problem: { reason: GatewayConditionReason.InvalidCertificateRef, message: 'HTTPS listener has no tls.certificateRefs' } };
  }
  const certificates: ServingCertificate[] = [];
  let problem: ListenerCertificates['problem'];
  for (const ref of refs) {
    const result = resolveRef(gatewayNamespace, ref, lookup);
    if ('invalid' in result) problem ??= { reason: result.reason ?? GatewayConditionReason.InvalidCertificateRef, message: result.invalid };
    else certificates.push({ certPem: result.certPem, keyPem: result.keyPem });
  }
  return { certificates, problem };
}

// Compact JWS (RFC 7515) with RS256 only: what ServiceAccount tokens are. Written on node:crypto
// rather than a JOSE library because we sign and check exactly one algorithm with one key, and a
// verifier that accepts nothing else (no `none`, no HMAC with the public key) is the safe shape.
import { createHash, sign, verify, type KeyObject } from 'node:crypto';

export type JwtPayload = Record<string, unknown>;

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function decodeJson(part: string): unknown {
  // base64url must be the unpadded URL alphabet; Buffer.from would quietly skip anything else.
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return undefined;
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Upstream's key ID: the unpadded base64url SHA-256 of the public key's DER (PKIX) form, so relying
 * parties can pick the key, and the key cannot be recovered from the ID.
 */
export function keyIdOf(publicKey: KeyObject): string {
  return base64url(createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest());
}

/**
 * `header.payload.signature` with header {alg: RS256, kid}. The RSA signature (~1.5 ms of CPU for
 * a 2048-bit key) is made on libuv's thread pool, not on the API server's event loop: every pod
 * with a token volume costs one.
 */
export async function signJwt(payload: JwtPayload, privateKey: KeyObject, keyId: string): Promise<string> {
  const signingInput = `${base64url(JSON.stringify({ alg: 'RS256', kid: keyId }))}.${base64url(JSON.stringify(payload))}`;
  const signature = await new Promise<Buffer>((resolve, reject) => {
    sign('sha256', Buffer.from(signingInput), privateKey, (error, result) => (error ? reject(error) : resolve(result)));
  });
  return `${signingInput}.${base64url(signature)}`;
}

/** The payload, without checking its signature: only to route a token to the right verifier. */
export function peekJwtPayload(token: string): JwtPayload | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  const payload = decodeJson(parts[1]);
  return isObject(payload) ? payload : undefined;
}

/** The payload when `token` is an RS256 JWS signed by `publicKey`; undefined otherwise. */
export function verifyJwt(token: string, publicKey: KeyObject): JwtPayload | undefined {
  const [header, payload, signature, extra] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined || extra !== undefined) return undefined;
  const parsedHeader = decodeJson(header);
  // Only RS256: a token naming another algorithm is refused before any key is used.
  if (!isObject(parsedHeader) || parsedHeader['alg'] !== 'RS256') return undefined;
  if (!/^[A-Za-z0-9_-]+$/.test(signature)) return undefined;
  if (!verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))) return undefined;
  const parsedPayload = decodeJson(payload);
  return isObject(parsedPayload) ? parsedPayload : undefined;
}

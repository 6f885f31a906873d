// List continue tokens: opaque to clients, base64 of the JSON upstream also uses
// ({"v":"meta.k8s.io/v1","rv":<list revision>,"start":"<key after the resource prefix>"}), so every
// page of a list reads the same snapshot. rv 0 means "the latest state" (the token handed out with a
// 410 to continue inconsistently).
import { BadRequestError } from '../../lib/errors.js';

export interface ContinuePosition {
  /** Store revision of the first page (0: read the latest state). */
  readonly revision: number;
  /** The last key returned, relative to the resource prefix (`default/web`); the next page starts after it. */
  readonly lastKey: string;
}

export function encodeContinueToken(position: ContinuePosition): string {
  const json = JSON.stringify({ v: 'meta.k8s.io/v1', rv: position.revision, start: position.lastKey });
  return Buffer.from(json, 'utf8').toString('base64url');
}

export function decodeContinueToken(token: string): ContinuePosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new BadRequestError('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)', { cause });
  }
  if (typeof parsed !== 'object' || parsed === null) throw new BadRequestError('continue key is not valid: malformed token');
  const { v, rv, start } = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (v !== 'meta.k8s.io/v1') throw new BadRequestError('continue key is not valid: server does not recognize this encoded version');
  if (typeof rv !== 'number' || !Number.isSafeInteger(rv) || rv < 0) {
    throw new BadRequestError('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (typeof start !== 'string' || start === '' || start.includes('..')) {
    throw new BadRequestError('continue key is not valid: encoded start key is not valid');
  }
  return { revision: rv, lastKey: start };
}

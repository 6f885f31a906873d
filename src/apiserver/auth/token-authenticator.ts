// Static bearer tokens (`Authorization: Bearer <token>`), compared in constant time so response
// timing does not reveal how much of a guessed token was right.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Authenticator, UserInfo } from './authenticator.js';

function digest(token: string): Buffer {
  // Hashing first gives equal-length inputs to timingSafeEqual whatever the token length.
  return createHash('sha256').update(token).digest();
}

export class TokenAuthenticator implements Authenticator {
  private readonly tokens: readonly { readonly digest: Buffer; readonly user: UserInfo }[];

  constructor(options: { tokens: ReadonlyMap<string, UserInfo> }) {
    this.tokens = [...options.tokens].map(([token, user]) => ({ digest: digest(token), user }));
  }

  authenticate(headers: IncomingHttpHeaders): UserInfo | undefined {
    const header = headers.authorization;
    if (header === undefined) return undefined;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) return undefined;
    const presented = digest(match[1]);
    let found: UserInfo | undefined;
    // Check every token (no early exit) to keep timing independent of which one matched.
    for (const entry of this.tokens) {
      if (timingSafeEqual(entry.digest, presented)) found = entry.user;
    }
    return found;
  }
}

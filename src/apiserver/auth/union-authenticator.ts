// Several credential kinds at once (the admin token, ServiceAccount tokens): the first
// authenticator that knows the caller wins, as upstream's union authenticator does.
import type { IncomingHttpHeaders } from 'node:http';
import type { Authenticator, UserInfo } from './authenticator.js';

export class UnionAuthenticator implements Authenticator {
  readonly #authenticators: readonly Authenticator[];

  constructor(options: { authenticators: readonly Authenticator[] }) {
    this.#authenticators = options.authenticators;
  }

  async authenticate(headers: IncomingHttpHeaders): Promise<UserInfo | undefined> {
    for (const authenticator of this.#authenticators) {
      const user = await authenticator.authenticate(headers);
      if (user) return user;
    }
    return undefined;
  }
}

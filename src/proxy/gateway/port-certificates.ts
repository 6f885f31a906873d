// A worker's TLS material, per HTTPS port, from the route table: the secure contexts that SNI
// picks from (exact hostname, else the longest `*.` wildcard that covers the server name, else
// the port's default) and the default itself, which also serves clients that send no SNI.
// Contexts are kept across tables while their certificate and key are unchanged: tables come with
// every endpoint change, and building a context parses the key.
import { createSecureContext, type SecureContext } from 'node:tls';
import type { ListenerConfig, TlsCertificate } from './route-table.js';

interface PortContexts {
  readonly exact: ReadonlyMap<string, SecureContext>;
  /** `.example.com` suffixes of `*.example.com` hostnames, longest first. */
  readonly wildcards: readonly { readonly suffix: string; readonly context: SecureContext }[];
  readonly fallback: SecureContext;
  /** The default's PEM: a tls.Server's default context is set from PEM (setSecureContext). */
  readonly fallbackPem: TlsCertificate;
}

export class PortCertificates {
  private ports = new Map<number, PortContexts>();
  /** `cert\0key` -> context. Holds key material in memory only. */
  private contexts = new Map<string, SecureContext>();

  /** Whether `port` is an HTTPS port of the current table. */
  isSecure(port: number): boolean {
    return this.ports.has(port);
  }

  /**
   * Takes the TLS material of a new table. Returns the hostnames (never the PEM) of certificates
   * that could not be loaded; the compiler checked them, so this is not expected.
   */
  update(listeners: readonly ListenerConfig[]): { port: number; hostname: string }[] {
    const previous = this.contexts;
    this.contexts = new Map();
    const failed: { port: number; hostname: string }[] = [];
    const ports = new Map<number, PortContexts>();
    for (const listener of listeners) {
      if (listener.tls === undefined) continue;
      const exact = new Map<string, SecureContext>();
      const wildcards: { suffix: string; context: SecureContext }[] = [];
      let fallback: SecureContext | undefined;
      let fallbackPem: TlsCertificate | undefined;
      for (const cert of listener.tls.certificates) {
        const context = this.contextOf(cert, previous);
        if (context === undefined) {
          failed.push({ port: listener.port, hostname: cert.hostname ?? '' });
          continue;
        }
        if (fallback === undefined) {
          fallback = context;
          fallbackPem = cert;
        }
        const hostname = cert.hostname;
        if (hostname === undefined) continue;
        if (hostname.startsWith('*.')) wildcards.push({ suffix: hostname.slice(1), context });
        else exact.set(hostname, context);
      }
      wildcards.sort((a, b) => b.suffix.length - a.suffix.length);
      if (fallback !== undefined && fallbackPem !== undefined) ports.set(listener.port, { exact, wildcards, fallback, fallbackPem });
    }
    this.ports = ports;
    return failed;
  }

  /** The context for a client's SNI server name on `port` (undefined: not an HTTPS port). */
  select(port: number, serverName: string): SecureContext | undefined {
    const contexts = this.ports.get(port);
    if (contexts === undefined) return undefined;
    const name = serverName.toLowerCase();
    const exact = contexts.exact.get(name);
    if (exact !== undefined) return exact;
    for (const { suffix, context } of contexts.wildcards) if (name.length > suffix.length && name.endsWith(suffix)) return context;
    return contexts.fallback;
  }

  /** The port's default certificate (clients without SNI, server names nothing matches). */
  fallbackCertificate(port: number): TlsCertificate | undefined {
    return this.ports.get(port)?.fallbackPem;
  }

  private contextOf(cert: TlsCertificate, previous: ReadonlyMap<string, SecureContext>): SecureContext | undefined {
    const key = `${cert.certPem}\u0000${cert.keyPem}`;
    let context = this.contexts.get(key) ?? previous.get(key);
    if (context === undefined) {
      try {
        context = createSecureContext({ cert: cert.certPem, key: cert.keyPem });
      } catch {
        // The error text may quote the PEM: report only where it failed (the caller does).
        return undefined;
      }
    }
    this.contexts.set(key, context);
    return context;
  }
}

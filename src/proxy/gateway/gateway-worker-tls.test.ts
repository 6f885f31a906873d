// HTTPS ports of the data plane with a real TLS client: SNI picks the listener's certificate, the
// decrypted requests go through the same HTTP/1.1 handling (routing, X-Forwarded-Proto https,
// keep-alive), a new table rotates certificates for new connections, and a port can switch
// between HTTP and HTTPS.
import { afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { Agent, request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { silentLogger } from '../../lib/logger.js';
import { freePort } from '../../../test/helpers/free-port.js';
import { testCertificateAuthority, type IssuedCertificate, type TestCertificateAuthority } from '../../../test/helpers/tls-certificates.js';
import { GatewayWorker } from './gateway-worker.js';
import { backend, echoed, endpoint, rule, send, startUpstream, type Upstream } from './gateway-test-kit.fixture.js';
import type { ListenerTls, RouteTable } from './route-table.js';

interface TlsReply {
  readonly status: number;
  readonly body: string;
  /** Subject alternative names of the certificate the gateway presented. */
  readonly san: string;
  readonly fingerprint: string;
  readonly localPort: number;
  readonly location: string;
}

/** One HTTPS request to 127.0.0.1:port with `serverName` as SNI ('' sends none) and `host` as Host. */
function sendTls(
  port: number, ca: string, serverName: string, host: string, agent: Agent | false = false, extraHeaders: Record<string, string> = {},
): Promise<TlsReply> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, path: '/', ca, agent, headers: { host, ...extraHeaders },
      servername: serverName,
      // The certificate is checked against `host` (not the IP we dial).
      checkServerIdentity: () => undefined,
    }, (res) => {
      const socket = res.socket as TLSSocket;
      // A resumed TLS session carries no certificate.
      const peer = socket.getPeerX509Certificate();
      const cert = peer === undefined ? undefined : new X509Certificate(peer.raw);
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({
        status: res.statusCode ?? 0, location: res.headers.location ?? '', body: Buffer.concat(chunks).toString(), san: cert?.subjectAltName ?? '', fingerprint: cert?.fingerprint256 ?? '',
        localPort: socket.localPort ?? 0,
      }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

void describe('GatewayWorker HTTPS ports', () => {
  let ca: TestCertificateAuthority;
  let exact: IssuedCertificate;
  let wildcard: IssuedCertificate;
  let fallback: IssuedCertificate;
  let worker: GatewayWorker;
  let port: number;
  let a: Upstream;
  let b: Upstream;

  before(async () => {
    ca = await testCertificateAuthority();
    exact = await ca.issue(['a.example.com']);
    wildcard = await ca.issue(['*.example.com']);
    fallback = await ca.issue(['default.test']);
  });

  beforeEach(async () => {
    worker = new GatewayWorker({ address: '127.0.0.1', logger: silentLogger() });
    port = await freePort();
    a = await startUpstream('a');
    b = await startUpstream('b');
  });

  afterEach(async () => {
    await worker.close(100);
    await a.close();
    await b.close();
  });


  function httpsTable(version: number, tls: ListenerTls | undefined): RouteTable {
    return {
      version,
      listeners: [{
        port,
        ...(tls !== undefined ? { tls } : {}),
        rules: [
          rule([backend('default/a', [endpoint(a.port)])], { hostnames: ['a.example.com'] }),
          rule([backend('default/b', [endpoint(b.port)])], { route: 'default/b' }),
        ],
      }],
    };
  }

  const threeCerts = (): ListenerTls => ({
    certificates: [
      { ...fallback },
      { hostname: 'a.example.com', ...exact },
      { hostname: '*.example.com', ...wildcard },
    ],
  });

  void it('picks the certificate by SNI (exact, then wildcard, else the default) and routes the decrypted request', async () => {
    await worker.applyTable(httpsTable(1, threeCerts()));
    const toA = await sendTls(port, ca.caPem, 'a.example.com', 'a.example.com');
    assert.equal(toA.status, 200);
    assert.match(toA.san, /DNS:a\.example\.com/);
    const seen = echoed({ status: toA.status, headers: {}, body: toA.body, localPort: 0 });
    assert.equal(seen.name, 'a');
    assert.equal(seen.headers['x-forwarded-proto'], 'https');
    assert.equal(seen.headers.host, 'a.example.com');

    const toB = await sendTls(port, ca.caPem, 'b.example.com', 'b.example.com');
    assert.match(toB.san, /DNS:\*\.example\.com/);
    assert.equal(echoed({ status: 200, headers: {}, body: toB.body, localPort: 0 }).name, 'b');

    assert.match((await sendTls(port, ca.caPem, 'other.test', 'other.test')).san, /DNS:default\.test/);
    assert.match((await sendTls(port, ca.caPem, '', 'a.example.com')).san, /DNS:default\.test/, 'no SNI: the default certificate');
  });

  void it('keeps https in X-Forwarded-Proto when appending to X-Forwarded-For, and in redirects without a scheme', async () => {
    const table = httpsTable(1, threeCerts());
    const listener = table.listeners[0];
    assert.ok(listener);
    await worker.applyTable({ ...table, listeners: [{ ...listener, rules: [
      rule([], { route: 'default/redirect', hostnames: ['r.example.com'], redirect: { statusCode: 302, hostname: 'new.example.com' } }),
      ...listener.rules,
    ] }] });
    const forwarded = await sendTls(port, ca.caPem, 'a.example.com', 'a.example.com', false, { 'x-forwarded-for': '10.0.0.1' });
    const seen = echoed({ status: forwarded.status, headers: {}, body: forwarded.body, localPort: 0 });
    assert.equal(seen.headers['x-forwarded-for'], '10.0.0.1, 127.0.0.1');
    assert.equal(seen.headers['x-forwarded-proto'], 'https');
    const redirected = await sendTls(port, ca.caPem, 'r.example.com', 'r.example.com');
    assert.equal(redirected.status, 302);
    assert.equal(redirected.location, `https://new.example.com:${port}/`);
  });

  void it('keeps a TLS connection alive across requests', async () => {
    await worker.applyTable(httpsTable(1, threeCerts()));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await sendTls(port, ca.caPem, 'a.example.com', 'a.example.com', agent);
      const second = await sendTls(port, ca.caPem, 'a.example.com', 'a.example.com', agent);
      assert.equal(second.status, 200);
      assert.equal(second.localPort, first.localPort, 'same client connection');
    } finally {
      agent.destroy();
    }
  });

  void it('serves a rotated certificate to new connections without rebinding', async () => {
    await worker.applyTable(httpsTable(1, threeCerts()));
    const before = await sendTls(port, ca.caPem, 'a.example.com', 'a.example.com');
    const rotated = await ca.issue(['a.example.com', 'rotated.example.com']);
    const rotatedDefault = await ca.issue(['rotated-default.test']);
    await worker.applyTable(httpsTable(2, { certificates: [{ ...rotatedDefault }, { hostname: 'a.example.com', ...rotated }] }));
    assert.deepEqual(worker.boundPorts, [port]);
    const afterRotation = await sendTls(port, ca.caPem, 'a.example.com', 'a.example.com');
    assert.notEqual(afterRotation.fingerprint, before.fingerprint);
    assert.match(afterRotation.san, /rotated\.example\.com/);
    assert.match((await sendTls(port, ca.caPem, '', 'x')).san, /rotated-default\.test/, 'the default certificate rotates too');
  });

  void it('switches a port between HTTP and HTTPS', async () => {
    await worker.applyTable(httpsTable(1, undefined));
    assert.equal((await send(port, { headers: { host: 'c.test' } })).status, 200);
    await worker.applyTable(httpsTable(2, threeCerts()));
    assert.equal((await sendTls(port, ca.caPem, 'a.example.com', 'a.example.com')).status, 200);
    await assert.rejects(send(port, { headers: { host: 'c.test' } }), 'plain HTTP no longer answered');
    await worker.applyTable(httpsTable(3, undefined));
    const plain = await send(port, { headers: { host: 'c.test' } });
    assert.equal(echoed(plain).headers['x-forwarded-proto'], 'http');
  });
});

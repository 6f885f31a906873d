import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { FakeClientSet } from '../client/fake/fake-client-set.js';
import { SharedInformerFactory } from '../client/informer/shared-informer-factory.js';
import { SERVICES } from '../client/resource-types.js';
import { silentLogger } from '../lib/logger.js';
import { ClusterDns } from './cluster-dns.js';
import type { DnsServiceObject } from './dns-object-types.js';
import { DnsServer } from './dns-server.js';
import { DNS_RCODE } from './dns-types.js';

function service(name: string, clusterIP: string): DnsServiceObject {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { clusterIP, clusterIPs: [clusterIP], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  };
}

/** Polls until `probe` gives a value (the DNS binds and syncs on its own schedule). */
async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await delay(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A stand-in for the node's resolver: knows example.org only. */
async function upstream(): Promise<{ server: DnsServer; port: number }> {
  const server = new DnsServer({
    address: '127.0.0.1', port: 0, logger: silentLogger(),
    resolver: {
      answer: (q) => q.name.toLowerCase() === 'example.org'
        ? { rcode: DNS_RCODE.NOERROR, answers: [{ name: q.name, ttl: 30, data: { type: 'A', address: '192.0.2.7' } }], authorities: [], additionals: [] }
        : { rcode: DNS_RCODE.NXDOMAIN, answers: [], authorities: [], additionals: [] },
    },
  });
  return { server, port: (await server.listen()).port };
}

describe('ClusterDns', () => {
  it('serves the cluster zone from the informers once synced, forwards other names, follows new Services, and gives the address back', async () => {
    const clients = new FakeClientSet();
    clients.seed(SERVICES, service('web', '10.43.0.20'));
    const informers = new SharedInformerFactory({ clients });
    const upstreamDns = await upstream();
    let released = 0;
    const dns = new ClusterDns({
      informers,
      address: { address: '127.0.0.1', acquire: () => Promise.resolve(), release: () => Promise.resolve(void released++) },
      port: 0,
      zone: 'cluster.local',
      upstreams: [{ host: '127.0.0.1', port: upstreamDns.port }],
      logger: silentLogger(),
    });
    const abort = new AbortController();
    informers.start(abort.signal);
    const running = dns.run(abort.signal);
    try {
      const bound = await waitFor('the DNS to listen', () => dns.bound);
      const resolver = new Resolver({ timeout: 2000, tries: 2 });
      resolver.setServers([`127.0.0.1:${bound.port}`]);
      assert.deepEqual(await resolver.resolve4('web.default.svc.cluster.local'), ['10.43.0.20']);
      assert.deepEqual(await resolver.resolve4('example.org'), ['192.0.2.7'], 'forwarded to the node resolver');
      await assert.rejects(resolver.resolve4('nosuch.default.svc.cluster.local'), { code: 'ENOTFOUND' });

      await clients.resource<DnsServiceObject>(SERVICES).create('default', service('late', '10.43.0.21'));
      assert.deepEqual(await waitFor('late to resolve', () => resolver.resolve4('late.default.svc.cluster.local').catch(() => undefined)), ['10.43.0.21']);
    } finally {
      abort.abort();
      await running;
      await upstreamDns.server.close();
    }
    assert.equal(released, 1);
    assert.equal(dns.bound, undefined);
  });

  it('keeps trying to bind an address another program holds, and serves once it is free', async () => {
    const holder = createSocket('udp4');
    const port = await new Promise<number>((resolve) => holder.bind(0, '127.0.0.1', () => resolve(holder.address().port)));
    const clients = new FakeClientSet();
    clients.seed(SERVICES, service('web', '10.43.0.20'));
    const informers = new SharedInformerFactory({ clients });
    let acquired = 0;
    const dns = new ClusterDns({
      informers,
      address: { address: '127.0.0.1', acquire: () => Promise.resolve(void acquired++), release: () => Promise.resolve() },
      port, zone: 'cluster.local', upstreams: [], logger: silentLogger(), retryMs: 20,
    });
    const abort = new AbortController();
    informers.start(abort.signal);
    const running = dns.run(abort.signal);
    try {
      await waitFor('a second bind attempt', () => (acquired >= 2 ? true : undefined));
      assert.equal(dns.bound, undefined, 'the port is taken');
      await new Promise<void>((resolve) => holder.close(() => resolve()));
      const bound = await waitFor('the DNS to listen', () => dns.bound);
      assert.equal(bound.port, port);
      const resolver = new Resolver({ timeout: 2000, tries: 2 });
      resolver.setServers([`127.0.0.1:${port}`]);
      assert.deepEqual(await resolver.resolve4('web.default.svc.cluster.local'), ['10.43.0.20']);
    } finally {
      abort.abort();
      await running;
    }
  });
});

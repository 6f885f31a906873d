import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Lister } from '../client/informer/informer.js';
import { CacheLister } from '../client/informer/cache-lister.js';
import { ObjectCache } from '../client/informer/object-cache.js';
import { ClusterRecords, clusterRecordIndexers } from './cluster-records.js';
import type { DnsEndpointSliceObject, DnsServiceObject } from './dns-object-types.js';
import { DNS_CLASS_IN, DNS_RCODE, DNS_TYPE, type DnsAnswer, type DnsRecord } from './dns-types.js';

type Spec = NonNullable<DnsServiceObject['spec']>;
type Endpoint = DnsEndpointSliceObject['endpoints'][number];

function service(namespace: string, name: string, spec: Spec): DnsServiceObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace, name }, spec };
}

function slice(namespace: string, name: string, serviceName: string, endpoints: Endpoint[], extra: Partial<DnsEndpointSliceObject> = {}): DnsEndpointSliceObject {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
    metadata: { namespace, name, labels: { 'kubernetes.io/service-name': serviceName } },
    endpoints, ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }], ...extra,
  };
}

const SERVICES: DnsServiceObject[] = [
  service('default', 'web', { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'metrics', port: 9090 }] }),
  service('default', 'db', { clusterIP: 'None', clusterIPs: ['None'], ports: [{ name: 'pg', port: 5432 }] }),
  service('default', 'pub', { clusterIP: 'None', publishNotReadyAddresses: true, ports: [{ name: 'pg', port: 5432 }] }),
  service('default', 'empty', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] }),
  service('default', 'noports', { clusterIP: 'None' }),
  service('default', 'pending', { ports: [{ name: 'http', port: 80 }] }),
  service('default', 'ext', { type: 'ExternalName', externalName: 'example.com.' }),
  service('default', 'ext-ip', { type: 'ExternalName', externalName: '192.0.2.1' }),
  service('default', 'alias-in', { type: 'ExternalName', externalName: 'web.default.svc.cluster.local' }),
  service('default', 'loop-a', { type: 'ExternalName', externalName: 'loop-b.default.svc.cluster.local' }),
  service('default', 'loop-b', { type: 'ExternalName', externalName: 'loop-a.default.svc.cluster.local' }),
  service('other', 'api', { clusterIP: '10.96.5.5', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] }),
];

const SLICES: DnsEndpointSliceObject[] = [
  slice('default', 'db-a', 'db', [
    { addresses: ['10.88.1.5'], hostname: 'db-0', conditions: { ready: true } },
    { addresses: ['10.88.1.6'] },
    { addresses: ['10.88.1.7'], hostname: 'db-2', conditions: { ready: false } },
  ]),
  // A second slice of the same Service, repeating 10.88.1.6 (slices being rebalanced).
  slice('default', 'db-b', 'db', [{ addresses: ['10.88.2.8'], hostname: 'db-3' }, { addresses: ['10.88.1.6'] }]),
  slice('default', 'db-v6', 'db', [{ addresses: ['fd00::1'] }], { addressType: 'IPv6' }),
  slice('default', 'pub-a', 'pub', [{ addresses: ['10.88.3.3'], conditions: { ready: false } }]),
  slice('default', 'empty-a', 'empty', [{ addresses: ['10.88.4.4'], conditions: { ready: false } }]),
  slice('default', 'noports-a', 'noports', [{ addresses: ['10.88.5.5'] }], { ports: [] }),
  slice('default', 'web-a', 'web', [{ addresses: ['10.88.6.6'], hostname: 'web-0' }, { addresses: ['10.88.6.7'] }],
    { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }),
  slice('default', 'orphan-a', 'gone', [{ addresses: ['10.88.7.7'], hostname: 'x' }]),
];

/** The real informer cache and lister, with the exported indexers (byIndex throws for an unregistered index). */
function listers(services = SERVICES, slices = SLICES): { services: Lister<DnsServiceObject>; slices: Lister<DnsEndpointSliceObject> } {
  const indexers = clusterRecordIndexers();
  const serviceCache = new ObjectCache<DnsServiceObject>();
  serviceCache.addIndexers(indexers.services);
  for (const s of services) serviceCache.upsert(structuredClone(s));
  const sliceCache = new ObjectCache<DnsEndpointSliceObject>();
  sliceCache.addIndexers(indexers.slices);
  for (const s of slices) sliceCache.upsert(structuredClone(s));
  return { services: new CacheLister({ cache: serviceCache }), slices: new CacheLister({ cache: sliceCache }) };
}

const records = new ClusterRecords({ zone: 'cluster.local', ...listers(), serial: 1234, nameServerAddresses: ['169.254.20.10'] });

function ask(name: string, type: number = DNS_TYPE.A, resolver = records): DnsAnswer {
  const answer = resolver.answer({ name, type, class: DNS_CLASS_IN });
  assert.ok(answer, `${name} should be answered here`);
  return answer;
}

/** `type data` strings of records, e.g. `A 10.96.0.10`, `SRV 0 100 80 web.default.svc.cluster.local`. */
function short(records: readonly DnsRecord[]): string[] {
  return records.map(({ data }) => {
    switch (data.type) {
      case 'A': case 'AAAA': return `${data.type} ${data.address}`;
      case 'CNAME': case 'PTR': case 'NS': return `${data.type} ${data.target}`;
      case 'TXT': return `TXT ${data.texts.join(' ')}`;
      case 'SRV': return `SRV ${data.priority} ${data.weight} ${data.port} ${data.target}`;
      case 'SOA': return `SOA ${data.mname} ${data.rname} ${data.serial} ${data.refresh} ${data.retry} ${data.expire} ${data.minimum}`;
    }
  });
}

const SOA = 'SOA ns.dns.cluster.local hostmaster.cluster.local 1234 7200 1800 86400 5';

function assertNoData(answer: DnsAnswer): void {
  assert.equal(answer.rcode, DNS_RCODE.NOERROR);
  assert.deepEqual(answer.answers, []);
  assert.deepEqual(short(answer.authorities), [SOA]);
}

function assertNxDomain(answer: DnsAnswer): void {
  assert.equal(answer.rcode, DNS_RCODE.NXDOMAIN);
  assert.deepEqual(answer.answers, []);
  assert.deepEqual(short(answer.authorities), [SOA]);
}

describe('ClusterRecords', () => {
  it('leaves names outside the zone and the reverse zone to the upstreams', () => {
    for (const name of ['example.com', '', 'local', 'xcluster.local', 'cluster.local.example.com']) {
      assert.equal(records.answer({ name, type: DNS_TYPE.A, class: DNS_CLASS_IN }), undefined, name);
    }
  });

  it('answers a ClusterIP Service with its cluster IP, case-insensitively, under the name as written', () => {
    const answer = ask('Web.Default.SVC.Cluster.Local');
    assert.equal(answer.rcode, DNS_RCODE.NOERROR);
    assert.deepEqual(answer.answers, [{ name: 'Web.Default.SVC.Cluster.Local', ttl: 5, data: { type: 'A', address: '10.96.0.10' } }]);
    assert.deepEqual(answer.authorities, []);
    assert.deepEqual(short(ask('web.default.svc.cluster.local.').answers), ['A 10.96.0.10'], 'a trailing dot is tolerated');
    assert.deepEqual(short(ask('api.other.svc.cluster.local').answers), ['A 10.96.5.5']);
  });

  it('answers NODATA for AAAA, TXT and other types of an existing name', () => {
    for (const type of [DNS_TYPE.AAAA, DNS_TYPE.TXT, DNS_TYPE.PTR, DNS_TYPE.NS, DNS_TYPE.SOA, DNS_TYPE.CNAME, 15]) {
      assertNoData(ask('web.default.svc.cluster.local', type));
    }
    assertNoData(ask('pending.default.svc.cluster.local'));
  });

  it('answers a headless Service with every ready IPv4 endpoint of all its slices, once each', () => {
    assert.deepEqual(short(ask('db.default.svc.cluster.local').answers), ['A 10.88.1.5', 'A 10.88.1.6', 'A 10.88.2.8']);
  });

  it('includes not-ready endpoints only when the Service publishes them', () => {
    assert.deepEqual(short(ask('pub.default.svc.cluster.local').answers), ['A 10.88.3.3']);
    assert.deepEqual(short(ask('10-88-3-3.pub.default.svc.cluster.local').answers), ['A 10.88.3.3']);
  });

  it('answers NXDOMAIN for a headless Service without ready endpoints (spec 2.4.1, as CoreDNS)', () => {
    assertNxDomain(ask('empty.default.svc.cluster.local'));
    assertNxDomain(ask('empty.default.svc.cluster.local', DNS_TYPE.SRV));
  });

  it('answers endpoint names: hostname, or the dashed address without one', () => {
    assert.deepEqual(short(ask('db-0.db.default.svc.cluster.local').answers), ['A 10.88.1.5']);
    assert.deepEqual(short(ask('DB-3.db.default.svc.cluster.local').answers), ['A 10.88.2.8']);
    assert.deepEqual(short(ask('10-88-1-6.db.default.svc.cluster.local').answers), ['A 10.88.1.6']);
    assert.deepEqual(short(ask('10-88-5-5.noports.default.svc.cluster.local').answers), ['A 10.88.5.5']);
    // CoreDNS answers endpoint names of ClusterIP Services too.
    assert.deepEqual(short(ask('web-0.web.default.svc.cluster.local').answers), ['A 10.88.6.6']);
    assertNxDomain(ask('db-2.db.default.svc.cluster.local'));
    assertNxDomain(ask('10-88-1-5.db.default.svc.cluster.local'));
    assertNxDomain(ask('nobody.db.default.svc.cluster.local'));
    assertNxDomain(ask('x.ext.default.svc.cluster.local'));
  });

  it('answers SRV of a ClusterIP Service port with the Service as target and its A record additional', () => {
    const answer = ask('_HTTP._tcp.web.default.svc.cluster.local', DNS_TYPE.SRV);
    assert.deepEqual(answer.answers, [{
      name: '_HTTP._tcp.web.default.svc.cluster.local', ttl: 5,
      data: { type: 'SRV', priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' },
    }]);
    assert.deepEqual(answer.additionals, [{ name: 'web.default.svc.cluster.local', ttl: 5, data: { type: 'A', address: '10.96.0.10' } }]);
    assert.deepEqual(short(ask('_metrics._tcp.web.default.svc.cluster.local', DNS_TYPE.SRV).answers), ['SRV 0 100 9090 web.default.svc.cluster.local']);
    assert.deepEqual(short(ask('http.tcp.web.default.svc.cluster.local', DNS_TYPE.SRV).answers), ['SRV 0 100 80 web.default.svc.cluster.local'], 'underscores optional, as CoreDNS');
  });

  it('answers SRV of a headless Service with one record per ready endpoint, weight 100/n', () => {
    const answer = ask('_pg._tcp.db.default.svc.cluster.local', DNS_TYPE.SRV);
    assert.deepEqual(short(answer.answers), [
      'SRV 0 33 5432 db-0.db.default.svc.cluster.local',
      'SRV 0 33 5432 10-88-1-6.db.default.svc.cluster.local',
      'SRV 0 33 5432 db-3.db.default.svc.cluster.local',
    ]);
    assert.deepEqual(answer.additionals.map((r) => `${r.name} ${short([r]).join('')}`), [
      'db-0.db.default.svc.cluster.local A 10.88.1.5',
      '10-88-1-6.db.default.svc.cluster.local A 10.88.1.6',
      'db-3.db.default.svc.cluster.local A 10.88.2.8',
    ]);
  });

  it('answers SRV on the Service name itself for all its ports', () => {
    const answer = ask('web.default.svc.cluster.local', DNS_TYPE.SRV);
    assert.deepEqual(short(answer.answers), ['SRV 0 50 80 web.default.svc.cluster.local', 'SRV 0 50 9090 web.default.svc.cluster.local']);
    assert.deepEqual(short(answer.additionals), ['A 10.96.0.10']);
    assert.deepEqual(short(ask('db-0.db.default.svc.cluster.local', DNS_TYPE.SRV).answers), ['SRV 0 100 5432 db-0.db.default.svc.cluster.local']);
  });

  it('answers NXDOMAIN for a port or protocol nothing has, NODATA for SRV of a name without ports', () => {
    assertNxDomain(ask('_nope._tcp.web.default.svc.cluster.local', DNS_TYPE.SRV));
    assertNxDomain(ask('_http._udp.web.default.svc.cluster.local', DNS_TYPE.SRV));
    assertNxDomain(ask('_pg._sctp.db.default.svc.cluster.local', DNS_TYPE.SRV));
    assertNxDomain(ask('_pg._tcp.noports.default.svc.cluster.local', DNS_TYPE.SRV));
    assertNoData(ask('noports.default.svc.cluster.local', DNS_TYPE.SRV));
    assertNoData(ask('10-1-2-3.default.pod.cluster.local', DNS_TYPE.SRV));
    // A port-qualified name exists, so its A query answers (CoreDNS does the same).
    assert.deepEqual(short(ask('_http._tcp.web.default.svc.cluster.local').answers), ['A 10.96.0.10']);
  });

  it('answers an ExternalName Service with a CNAME for A, AAAA, CNAME and ANY', () => {
    for (const type of [DNS_TYPE.A, DNS_TYPE.AAAA, DNS_TYPE.CNAME, DNS_TYPE.ANY]) {
      const answer = ask('Ext.default.svc.cluster.local', type);
      assert.deepEqual(answer.answers, [{ name: 'Ext.default.svc.cluster.local', ttl: 5, data: { type: 'CNAME', target: 'example.com' } }]);
    }
    assertNoData(ask('ext.default.svc.cluster.local', DNS_TYPE.SRV));
    assertNoData(ask('ext.default.svc.cluster.local', DNS_TYPE.TXT));
    assertNxDomain(ask('_http._tcp.ext.default.svc.cluster.local', DNS_TYPE.SRV));
    assertNxDomain(ask('ext-ip.default.svc.cluster.local'));
  });

  it('follows an ExternalName pointing into the zone, and stops on a loop', () => {
    const answer = ask('alias-in.default.svc.cluster.local');
    assert.deepEqual(answer.answers.map((r) => `${r.name} ${short([r]).join('')}`), [
      'alias-in.default.svc.cluster.local CNAME web.default.svc.cluster.local',
      'web.default.svc.cluster.local A 10.96.0.10',
    ]);
    assert.deepEqual(short(ask('loop-a.default.svc.cluster.local').answers), [
      'CNAME loop-b.default.svc.cluster.local', 'CNAME loop-a.default.svc.cluster.local',
    ]);
  });

  it('answers dashed pod names in any namespace (pods insecure), NXDOMAIN for anything else there', () => {
    assert.deepEqual(short(ask('10-88-1-5.default.pod.cluster.local').answers), ['A 10.88.1.5']);
    assert.deepEqual(short(ask('192-168-0-1.no-such-ns.pod.cluster.local').answers), ['A 192.168.0.1']);
    assertNoData(ask('10-88-1-5.default.pod.cluster.local', DNS_TYPE.AAAA));
    for (const name of ['10-88-1.default.pod.cluster.local', '300-1-1-1.default.pod.cluster.local', '010-1-1-1.default.pod.cluster.local',
      'web.default.pod.cluster.local', 'x.10-88-1-5.default.pod.cluster.local']) {
      assertNxDomain(ask(name));
    }
  });

  it('answers NODATA for empty non-terminals and NXDOMAIN for names that do not exist', () => {
    for (const name of ['cluster.local', 'svc.cluster.local', 'default.svc.cluster.local', 'OTHER.svc.cluster.local', 'pod.cluster.local', 'any.pod.cluster.local']) {
      assertNoData(ask(name));
    }
    // No Service in the namespace: NXDOMAIN (there is no Namespace lister to tell an empty one).
    for (const name of ['nosuchns.svc.cluster.local', 'nope.default.svc.cluster.local', 'web.nosuchns.svc.cluster.local',
      'foo.cluster.local', 'web.default.foo.cluster.local', 'a.b.c.web.default.svc.cluster.local']) {
      assertNxDomain(ask(name));
    }
  });

  it('answers SOA and NS at the apex as CoreDNS does', () => {
    const soa = ask('Cluster.Local', DNS_TYPE.SOA);
    assert.deepEqual(short(soa.answers), [SOA]);
    assert.equal(soa.answers[0]?.name, 'Cluster.Local');
    const ns = ask('cluster.local', DNS_TYPE.NS);
    assert.deepEqual(short(ns.answers), ['NS ns.dns.cluster.local']);
    assert.deepEqual(ns.additionals, [{ name: 'ns.dns.cluster.local', ttl: 5, data: { type: 'A', address: '169.254.20.10' } }]);
    assert.deepEqual(short(ask('ns.dns.cluster.local').answers), ['A 169.254.20.10']);
    assert.deepEqual(short(ask('cluster.local', DNS_TYPE.ANY).answers), [SOA, 'NS ns.dns.cluster.local']);
    // The SOA of a negative answer is owned by the zone as the client wrote it.
    assert.equal(ask('nope.default.svc.CLUSTER.local').authorities[0]?.name, 'CLUSTER.local');
  });

  it('answers dns-version TXT with the schema version', () => {
    const answer = ask('dns-version.cluster.local', DNS_TYPE.TXT);
    assert.deepEqual(answer.answers, [{ name: 'dns-version.cluster.local', ttl: 28800, data: { type: 'TXT', texts: ['1.1.0'] } }]);
    assertNoData(ask('dns-version.cluster.local', DNS_TYPE.A));
  });

  it('answers PTR for cluster IPs and endpoint addresses, and leaves other reverse names to the upstreams', () => {
    const ptr = (ip: string): DnsAnswer | undefined =>
      records.answer({ name: `${ip.split('.').reverse().join('.')}.In-Addr.Arpa`, type: DNS_TYPE.PTR, class: DNS_CLASS_IN });
    assert.deepEqual(ptr('10.96.0.10')?.answers, [{ name: '10.0.96.10.In-Addr.Arpa', ttl: 5, data: { type: 'PTR', target: 'web.default.svc.cluster.local' } }]);
    assert.deepEqual(short(ptr('10.88.1.5')?.answers ?? []), ['PTR db-0.db.default.svc.cluster.local']);
    // CoreDNS names an endpoint without hostname by its dashed address.
    assert.deepEqual(short(ptr('10.88.1.6')?.answers ?? []), ['PTR 10-88-1-6.db.default.svc.cluster.local']);
    assert.deepEqual(short(ptr('10.88.3.3')?.answers ?? []), ['PTR 10-88-3-3.pub.default.svc.cluster.local']);
    for (const ip of ['10.88.1.7', '10.88.4.4', '10.88.7.7', '8.8.8.8']) assert.equal(ptr(ip), undefined, ip);
    for (const name of ['0.96.10.in-addr.arpa', 'in-addr.arpa', 'x.0.96.10.in-addr.arpa', '010.0.96.10.in-addr.arpa']) {
      assert.equal(records.answer({ name, type: DNS_TYPE.PTR, class: DNS_CLASS_IN }), undefined, name);
    }
    assert.equal(records.answer({ name: '10.0.96.10.in-addr.arpa', type: DNS_TYPE.A, class: DNS_CLASS_IN }), undefined);
  });

  it('answers ANY with what the name has', () => {
    assert.deepEqual(short(ask('web.default.svc.cluster.local', DNS_TYPE.ANY).answers), [
      'A 10.96.0.10', 'SRV 0 50 80 web.default.svc.cluster.local', 'SRV 0 50 9090 web.default.svc.cluster.local',
    ]);
    assert.deepEqual(short(ask('dns-version.cluster.local', DNS_TYPE.ANY).answers), ['TXT 1.1.0']);
  });

  it('uses ttlSeconds for records and the SOA minimum, capping the SOA TTL at 300', () => {
    const long = new ClusterRecords({ zone: 'Cluster.Local.', ...listers(), ttlSeconds: 600, serial: 1 });
    assert.equal(ask('web.default.svc.cluster.local', DNS_TYPE.A, long).answers[0]?.ttl, 600);
    const soa = ask('cluster.local', DNS_TYPE.SOA, long).answers[0];
    assert.equal(soa?.ttl, 300);
    assert.equal(soa?.data.type === 'SOA' && soa.data.minimum, 600);
  });

  it('never lists every object to answer', () => {
    const inner = listers();
    const calls: string[] = [];
    const spy = <T extends DnsServiceObject | DnsEndpointSliceObject>(kind: string, lister: Lister<T>): Lister<T> => ({
      get: (namespace, name) => lister.get(namespace, name),
      list: (options) => {
        calls.push(`${kind}.list(${options?.namespace ?? 'ALL'})`);
        return lister.list(options);
      },
      byIndex: (index, value) => lister.byIndex(index, value),
    });
    const spied = new ClusterRecords({ zone: 'cluster.local', services: spy('services', inner.services), slices: spy('slices', inner.slices) });
    for (const [name, type] of [
      ['web.default.svc.cluster.local', DNS_TYPE.A], ['_pg._tcp.db.default.svc.cluster.local', DNS_TYPE.SRV], ['nope.default.svc.cluster.local', DNS_TYPE.A],
      ['5.1.88.10.in-addr.arpa', DNS_TYPE.PTR], ['default.svc.cluster.local', DNS_TYPE.A], ['nosuchns.svc.cluster.local', DNS_TYPE.A],
    ] as const) {
      spied.answer({ name, type, class: DNS_CLASS_IN });
    }
    assert.deepEqual(calls, ['services.list(default)', 'services.list(nosuchns)']);
  });
});

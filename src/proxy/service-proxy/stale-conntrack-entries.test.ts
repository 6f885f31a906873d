import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProxyEndpoint, ServicePortPlan } from './service-port-plan.js';
import { conntrackDeleteArgs, conntrackListArgs, reconcileQueries, staleConntrackFilters, staleReplyFilters } from './stale-conntrack-entries.js';

const A: ProxyEndpoint = { ip: '10.99.0.2', port: 5353 };
const B: ProxyEndpoint = { ip: '10.99.0.3', port: 5353 };

function dns(endpoints: readonly ProxyEndpoint[], extra: Partial<ServicePortPlan> = {}): ServicePortPlan {
  return { name: 'kube-system/dns:dns', protocol: 'UDP', clusterIP: '10.43.0.10', port: 53, nodePort: 0, externalIPs: [], endpoints, ...extra };
}

/** The delete commands, as text, for comparing. */
function stale(previous: readonly ServicePortPlan[], next: readonly ServicePortPlan[]): string[] {
  return staleConntrackFilters(previous, next).map((filter) => conntrackDeleteArgs(filter).join(' ')).sort();
}

describe('staleConntrackFilters', () => {
  it('an endpoint gone: its entries to the cluster IP and port, nothing for the endpoint that stays', () => {
    assert.deepEqual(stale([dns([A, B])], [dns([B])]), ['-D -p udp --orig-dst 10.43.0.10 --orig-port-dst 53 --reply-src 10.99.0.2 --reply-port-src 5353']);
  });

  it('an endpoint replaced by another: the old one\'s entries (the new one had none)', () => {
    assert.deepEqual(stale([dns([A])], [dns([B])]), ['-D -p udp --orig-dst 10.43.0.10 --orig-port-dst 53 --reply-src 10.99.0.2 --reply-port-src 5353']);
  });

  it('an endpoint that moved to another port counts as gone', () => {
    assert.deepEqual(stale([dns([A])], [dns([{ ip: A.ip, port: 5354 }])]), ['-D -p udp --orig-dst 10.43.0.10 --orig-port-dst 53 --reply-src 10.99.0.2 --reply-port-src 5353']);
  });

  it('a gone endpoint of a port with external IPs, LB IPs and a node port: the entries to each of them', () => {
    const plan = (endpoints: readonly ProxyEndpoint[]) => dns(endpoints, { externalIPs: ['192.0.2.7'], loadBalancerIPs: ['198.51.100.9'], nodePort: 30053 });
    assert.deepEqual(stale([plan([A, B])], [plan([B])]), [
      '-D -p udp --orig-dst 10.43.0.10 --orig-port-dst 53 --reply-src 10.99.0.2 --reply-port-src 5353',
      '-D -p udp --orig-dst 192.0.2.7 --orig-port-dst 53 --reply-src 10.99.0.2 --reply-port-src 5353',
      '-D -p udp --orig-dst 198.51.100.9 --orig-port-dst 53 --reply-src 10.99.0.2 --reply-port-src 5353',
      '-D -p udp --orig-port-dst 30053 --reply-src 10.99.0.2 --reply-port-src 5353',
    ]);
  });

  it('from no endpoints to some: every entry to the port\'s addresses and node port (made while nothing DNATed them)', () => {
    const plan = (endpoints: readonly ProxyEndpoint[]) => dns(endpoints, { externalIPs: ['192.0.2.7'], nodePort: 30053 });
    assert.deepEqual(stale([plan([])], [plan([A])]), [
      '-D -p udp --orig-dst 10.43.0.10 --orig-port-dst 53',
      '-D -p udp --orig-dst 192.0.2.7 --orig-port-dst 53',
      '-D -p udp --orig-port-dst 30053',
    ]);
  });

  it('a new port with endpoints (also: everything at the first sync) counts as coming from none', () => {
    assert.deepEqual(stale([], [dns([A])]), ['-D -p udp --orig-dst 10.43.0.10 --orig-port-dst 53']);
  });

  it('a port that went away: every entry to it', () => {
    assert.deepEqual(stale([dns([A])], []), ['-D -p udp --orig-dst 10.43.0.10 --orig-port-dst 53']);
  });

  it('SCTP is cleaned like UDP; TCP is never (its flows end with the connection)', () => {
    assert.deepEqual(stale([dns([A], { protocol: 'SCTP' })], [dns([B], { protocol: 'SCTP' })]), [
      '-D -p sctp --orig-dst 10.43.0.10 --orig-port-dst 53 --reply-src 10.99.0.2 --reply-port-src 5353',
    ]);
    assert.deepEqual(stale([dns([A], { protocol: 'TCP' })], [dns([B], { protocol: 'TCP' })]), []);
    assert.deepEqual(stale([], [dns([A], { protocol: 'TCP' })]), []);
  });

  it('nothing when the endpoints did not change, or a port stays without endpoints', () => {
    assert.deepEqual(stale([dns([A, B])], [dns([A, B])]), []);
    assert.deepEqual(stale([dns([])], [dns([])]), []);
  });

  it('a UDP and a TCP port of one name are told apart; each filter appears once', () => {
    const udp = dns([A]);
    const tcp = dns([A], { protocol: 'TCP' });
    // the TCP port losing its endpoint leaves the UDP port's flows alone
    assert.deepEqual(stale([udp, tcp], [udp, dns([], { protocol: 'TCP' })]), []);
    // two ports sharing one node port and endpoint (never valid, but harmless): one command
    const twin = dns([A], { name: 'kube-system/dns:other', nodePort: 30053 });
    assert.deepEqual(stale([twin, dns([A], { nodePort: 30053 })], [dns([], { name: 'kube-system/dns:other', nodePort: 30053 }), dns([], { nodePort: 30053 })]), [
      '-D -p udp --orig-dst 10.43.0.10 --orig-port-dst 53 --reply-src 10.99.0.2 --reply-port-src 5353',
      '-D -p udp --orig-port-dst 30053 --reply-src 10.99.0.2 --reply-port-src 5353',
    ]);
  });
});

describe('first-sync reconciliation of the conntrack table', () => {
  const LISTED = [
    // A live flow to a current endpoint (A), one to a gone endpoint (C), one never DNATed (made before any rule).
    'udp      17 29 src=10.88.1.5 dst=10.43.0.10 sport=40053 dport=53 src=10.99.0.2 dst=10.88.1.5 sport=5353 dport=40053 mark=0 use=1',
    'udp      17 12 src=10.88.1.6 dst=10.43.0.10 sport=40054 dport=53 src=10.99.0.9 dst=10.88.1.6 sport=5353 dport=40054 mark=0 use=1',
    'udp      17 28 src=10.88.1.7 dst=10.43.0.10 sport=40055 dport=53 [UNREPLIED] src=10.43.0.10 dst=10.88.1.7 sport=53 dport=40055 mark=0 use=1',
    'udp      17 27 src=10.88.1.8 dst=10.43.0.10 sport=40056 dport=53 src=10.99.0.9 dst=10.88.1.8 sport=5353 dport=40056 mark=0 use=1',
    '',
  ].join('\n');

  it('lists every UDP port at each of its addresses and its node port; TCP is left alone', () => {
    const queries = reconcileQueries([dns([A]), dns([A], { name: 'web:http', protocol: 'TCP' }), dns([], { name: 'x:y', nodePort: 30053, externalIPs: ['192.0.2.9'] })]);
    assert.deepEqual(queries.map((q) => conntrackListArgs(q.list).join(' ')), [
      '-L -p udp --orig-dst 10.43.0.10 --orig-port-dst 53',
      '-L -p udp --orig-dst 10.43.0.10 --orig-port-dst 53',
      '-L -p udp --orig-dst 192.0.2.9 --orig-port-dst 53',
      '-L -p udp --orig-port-dst 30053',
    ]);
    assert.deepEqual([...(queries[0]?.endpoints ?? [])], ['10.99.0.2:5353']);
  });

  it('deletes what no current endpoint answers (gone endpoints, flows never DNATed), each reply source once, and keeps live flows', () => {
    const [query] = reconcileQueries([dns([A, B])]);
    assert.ok(query);
    assert.deepEqual(staleReplyFilters(query, LISTED).map((f) => conntrackDeleteArgs(f).join(' ')), [
      '-D -p udp --orig-dst 10.43.0.10 --orig-port-dst 53 --reply-src 10.99.0.9 --reply-port-src 5353',
      '-D -p udp --orig-dst 10.43.0.10 --orig-port-dst 53 --reply-src 10.43.0.10 --reply-port-src 53',
    ]);
    const [none] = reconcileQueries([dns([])]);
    assert.ok(none);
    assert.equal(staleReplyFilters(none, LISTED).length, 3, 'no endpoints: every flow is stale');
    assert.deepEqual(staleReplyFilters(query, 'conntrack v1.4.7 (conntrack-tools): 0 flow entries have been shown.\n'), []);
  });
});

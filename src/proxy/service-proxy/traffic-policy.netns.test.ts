// Root only: traffic policies and loadBalancerSourceRanges through real iptables, in private
// network namespaces (veth links only; the host's tables are never touched). NODE runs the proxy
// (as node "node-here"); POD (10.99.0.2, behind NODE) serves "a" on 8080 and "b" on 8081 and, on
// 8082, answers with the address it sees the client at. Two outside clients route through NODE:
// CLIENT (198.51.100.2, admitted by the source ranges) and OTHER (203.0.113.2, not admitted).
// Endpoint 8080 and 8082 are on node-here, 8081 on node-there (EndpointSlice nodeName).
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { SharedInformerFactory } from '../../client/informer/shared-informer-factory.js';
import { ENDPOINTSLICES, SERVICES } from '../../client/resource-types.js';
import { systemClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { freePort } from '../../../test/helpers/free-port.js';
import { execRunner } from '../../lib/command-runner.js';
import { IptablesHost } from './iptables-host.js';
import { curlFrom, distinctAnswers, until } from './netns-requests.fixture.js';
import { ep, slice, svc } from './proxy-test-objects.fixture.js';
import { ServiceProxy } from './service-proxy.js';

const root = process.getuid?.() === 0;
const NODE = `k8ts-h42-node-${process.pid}`;
const POD = `k8ts-h42-pod-${process.pid}`;
const CLIENT = `k8ts-h42-client-${process.pid}`;
const OTHER = `k8ts-h42-other-${process.pid}`;
const HERE = 'node-here';
const THERE = 'node-there';

const get = (netns: string, url: string, seconds = 3): Promise<string> => curlFrom(netns, url, seconds);
const times = distinctAnswers;
const eventually = (what: string, probe: () => Promise<boolean>): Promise<void> => until(what, probe, 15_000);

function ip(netns: string, ...args: string[]): void {
  execFileSync('ip', ['-n', netns, ...args]);
}

describe('traffic policies and source ranges in private network namespaces', { skip: root ? false : 'needs root (ip netns, iptables)', timeout: 120_000 }, () => {
  const servers: ChildProcess[] = [];
  const clients = new FakeClientSet();
  const abort = new AbortController();
  let running: Promise<void> = Promise.resolve();
  const made: string[] = [];
  let healthPort = 0;

  before(async () => {
    for (const ns of [NODE, POD, CLIENT, OTHER]) {
      execFileSync('ip', ['netns', 'add', ns]);
      made.push(ns);
      ip(ns, 'link', 'set', 'lo', 'up');
    }
    for (const [peer, nodeSide, peerSide, nodeAddr, peerAddr] of [
      [POD, 'vpod', 'eth0', '10.99.0.1/24', '10.99.0.2/24'],
      [CLIENT, 'vcli', 'eth0', '198.51.100.1/24', '198.51.100.2/24'],
      [OTHER, 'voth', 'eth0', '203.0.113.1/24', '203.0.113.2/24'],
    ] as const) {
      ip(NODE, 'link', 'add', nodeSide, 'type', 'veth', 'peer', 'name', peerSide, 'netns', peer);
      ip(NODE, 'addr', 'add', nodeAddr, 'dev', nodeSide);
      ip(NODE, 'link', 'set', nodeSide, 'up');
      ip(peer, 'addr', 'add', peerAddr, 'dev', peerSide);
      ip(peer, 'link', 'set', peerSide, 'up');
      ip(peer, 'route', 'add', 'default', 'via', nodeAddr.split('/')[0] ?? '');
    }
    // Cluster IPs need a route to leave NODE at all (they are DNATed on the way out).
    ip(NODE, 'route', 'add', 'default', 'via', '198.51.100.2');
    execFileSync('ip', ['netns', 'exec', NODE, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
    const handlers = { 8080: "(q,s)=>s.end('a')", 8081: "(q,s)=>s.end('b')", 8082: '(q,s)=>s.end(q.socket.remoteAddress)' };
    for (const [port, handler] of Object.entries(handlers)) {
      const code = `require('http').createServer(${handler}).listen(${port}, '0.0.0.0')`;
      servers.push(spawn('ip', ['netns', 'exec', POD, process.execPath, '-e', code], { stdio: 'ignore' }));
    }
    await eventually('the pod servers', async () => (await get(NODE, 'http://10.99.0.2:8080/')) === 'a' && (await get(NODE, 'http://10.99.0.2:8082/')) === '10.99.0.1');

    healthPort = await freePort();
    const http = (port: number, nodePort?: number) => [{ name: 'http', port, protocol: 'TCP' as const, ...(nodePort ? { nodePort } : {}) }];
    clients.seed(SERVICES,
      svc('int-local', { clusterIP: '10.43.0.20', internalTrafficPolicy: 'Local' }),
      svc('int-cluster', { clusterIP: '10.43.0.21' }),
      svc('int-none', { clusterIP: '10.43.0.22', internalTrafficPolicy: 'Local' }),
      svc('ext-local', { type: 'NodePort', clusterIP: '10.43.0.23', ports: http(80, 30090), externalTrafficPolicy: 'Local' }),
      svc('ext-cluster', { type: 'NodePort', clusterIP: '10.43.0.24', ports: http(80, 30091), externalTrafficPolicy: 'Cluster' }),
      svc('ext-remote', { type: 'NodePort', clusterIP: '10.43.0.25', ports: http(80, 30092), externalTrafficPolicy: 'Local' }),
      svc('lb-local', { type: 'LoadBalancer', clusterIP: '10.43.0.27', ports: http(18091, 30094), externalTrafficPolicy: 'Local', healthCheckNodePort: healthPort }),
      svc('ranged', { type: 'LoadBalancer', clusterIP: '10.43.0.26', ports: http(18090, 30093), loadBalancerSourceRanges: ['198.51.100.2/32'] }, ['198.51.100.1']),
    );
    const at = (node: string) => [ep('10.99.0.2', undefined, node)];
    clients.seed(ENDPOINTSLICES,
      slice('int-local', at(HERE)), slice('int-local', at(THERE), { name: 'int-local-b', port: 8081 }),
      slice('int-cluster', at(HERE)), slice('int-cluster', at(THERE), { name: 'int-cluster-b', port: 8081 }),
      slice('int-none', at(THERE), { port: 8081 }),
      slice('ext-local', at(HERE), { port: 8082 }),
      slice('ext-cluster', at(HERE), { port: 8082 }),
      slice('ext-remote', at(THERE), { port: 8081 }),
      slice('ranged', at(HERE), { port: 8082 }),
      slice('lb-local', [...at(HERE), ep('10.99.0.3', undefined, THERE)], { port: 8082 }),
    );
    const informers = new SharedInformerFactory({ clients });
    informers.start(abort.signal);
    const proxy = new ServiceProxy({
      informers, host: new IptablesHost({ runner: execRunner({ netns: NODE }) }), chainTag: 'TP', nodeName: HERE, nodeIPs: ['198.51.100.1'], healthCheckAddress: '127.0.0.1',
      clusterCidr: '10.99.0.0/24', clock: systemClock, logger: silentLogger(), minSyncIntervalMs: 20,
    });
    running = proxy.run(abort.signal);
    await eventually('rules programmed', async () => /^[ab]$/.test(await get(NODE, 'http://10.43.0.21/')));
  });

  after(async () => {
    abort.abort();
    await running;
    for (const child of servers) child.kill();
    for (const ns of made.reverse()) {
      try {
        execFileSync('ip', ['netns', 'del', ns]);
      } catch {
        // already gone
      }
    }
  });

  it('internalTrafficPolicy Local: the cluster IP reaches only the endpoint on this node (Cluster reaches both)', async () => {
    assert.deepEqual([...(await times(30, () => get(NODE, 'http://10.43.0.21/')))].sort(), ['a', 'b']);
    assert.deepEqual([...(await times(30, () => get(NODE, 'http://10.43.0.20/')))], ['a']);
  });

  it('internalTrafficPolicy Local without a local endpoint: the cluster IP is dropped', async () => {
    assert.match(await get(NODE, 'http://10.43.0.22/', 1), /^exit \d+$/);
    assert.equal(await get(NODE, 'http://10.99.0.2:8081/'), 'b', 'the endpoint itself is up');
  });

  it('externalTrafficPolicy Local keeps the client\'s source address; Cluster masquerades it', async () => {
    assert.equal(await get(CLIENT, 'http://198.51.100.1:30090/'), '198.51.100.2');
    assert.equal(await get(CLIENT, 'http://198.51.100.1:30091/'), '10.99.0.1');
  });

  it('externalTrafficPolicy Local without a local endpoint: outside clients are dropped, the node itself still gets through', async () => {
    assert.match(await get(CLIENT, 'http://198.51.100.1:30092/', 1), /^exit \d+$/);
    assert.equal(await get(NODE, 'http://198.51.100.1:30092/'), 'b');
  });

  it('loadBalancerSourceRanges: a client inside the ranges connects to the LB address, one outside cannot (its node port stays open)', async () => {
    assert.match(await get(CLIENT, 'http://198.51.100.1:18090/'), /^\d+\.\d+\.\d+\.\d+$/);
    assert.match(await get(OTHER, 'http://198.51.100.1:18090/', 1), /^exit \d+$/);
    // the LB address is reachable from OTHER at all: upstream does not apply the ranges to node ports
    assert.match(await get(OTHER, 'http://198.51.100.1:30093/'), /^\d+\.\d+\.\d+\.\d+$/);
  });

  it('serves the health check node port of a LoadBalancer with externalTrafficPolicy Local (local ready endpoints: 1)', async () => {
    const answer = await fetch(`http://127.0.0.1:${healthPort}/healthz`);
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), { service: { namespace: 'default', name: 'lb-local' }, localEndpoints: 1, serviceProxyHealthy: true });
  });
});

// Root only: the real proxy programming real iptables, inside a private network namespace so the
// host's tables are never touched. NODE (where the proxy's rules live) has a dummy "eth0"
// (192.0.2.2, default route; a veth, as the dummy driver may be missing) and a veth to POD (10.99.0.2), where two HTTP servers listen on
// 8080 and 8081 and answer "a" and "b". Requests are made from NODE with curl, as from a host.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { SharedInformerFactory } from '../../client/informer/shared-informer-factory.js';
import { ENDPOINTSLICES, SERVICES } from '../../client/resource-types.js';
import { systemClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { ChainNames } from './chain-names.js';
import { curlFrom, distinctAnswers, until } from './netns-requests.fixture.js';
import { execRunner } from '../../lib/command-runner.js';
import { IptablesHost } from './iptables-host.js';
import { deleteChainsText } from './iptables-ruleset.js';
import { ep, slice, svc } from './proxy-test-objects.fixture.js';
import { ServiceProxy } from './service-proxy.js';

const root = process.getuid?.() === 0;
const NODE = `k8ts-h8-node-${process.pid}`;
const POD = `k8ts-h8-pod-${process.pid}`;

// Asynchronous on purpose: the proxy runs in this process and must keep syncing between requests.
const run = promisify(execFile);

async function sh(netns: string, ...argv: string[]): Promise<string> {
  return (await run('ip', ['netns', 'exec', netns, ...argv], { encoding: 'utf8' })).stdout;
}

/** curl from NODE (or another namespace): the body, or `exit N` when it could not connect. */
const get = (url: string, netns = NODE): Promise<string> => curlFrom(netns, url);
const times = distinctAnswers;
const eventually = (what: string, probe: () => Promise<boolean>): Promise<void> => until(what, probe, 10_000);

describe('service proxy in a private network namespace', { skip: root ? false : 'needs root (ip netns, iptables)', timeout: 120_000 }, () => {
  const servers: ChildProcess[] = [];
  const markerDir = mkdtempSync(join(tmpdir(), 'k8ts-proxy-netns-'));
  const clients = new FakeClientSet();
  const services = clients.resource<ReturnType<typeof svc>>(SERVICES);
  const names = new ChainNames('IT');
  const host = new IptablesHost({ runner: execRunner({ netns: NODE }) });
  let abort = new AbortController();
  let running: Promise<void> = Promise.resolve();

  const startProxy = () => {
    abort = new AbortController();
    const informers = new SharedInformerFactory({ clients });
    informers.start(abort.signal);
    const proxy = new ServiceProxy({
      informers, host, chainTag: 'IT', clusterCidr: '10.99.0.0/24', routeLocalnetMarkerDir: markerDir,
      clock: systemClock, logger: silentLogger(), minSyncIntervalMs: 20,
    });
    running = proxy.run(abort.signal);
  };
  const ourChains = async () => (await sh(NODE, 'iptables-save')).split('\n').filter((l) => l.includes('K8TS-IT-'));
  const routeLocalnet = async () => (await sh(NODE, 'sysctl', '-n', 'net.ipv4.conf.all.route_localnet')).trim();

  before(async () => {
    execFileSync('ip', ['netns', 'add', NODE]);
    execFileSync('ip', ['netns', 'add', POD]);
    execFileSync('ip', ['-n', NODE, 'link', 'add', 'vn0', 'type', 'veth', 'peer', 'name', 'vp0', 'netns', POD]);
    // No dummy driver here: an "uplink" is a veth whose peer stays in NODE.
    execFileSync('ip', ['-n', NODE, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0p']);
    for (const [ns, args] of [
      [NODE, ['addr', 'add', '10.99.0.1/24', 'dev', 'vn0']], [NODE, ['link', 'set', 'vn0', 'up']], [NODE, ['link', 'set', 'lo', 'up']],
      [NODE, ['addr', 'add', '192.0.2.2/24', 'dev', 'eth0']], [NODE, ['link', 'set', 'eth0', 'up']], [NODE, ['link', 'set', 'eth0p', 'up']], [NODE, ['route', 'add', 'default', 'via', '192.0.2.1']],
      [POD, ['addr', 'add', '10.99.0.2/24', 'dev', 'vp0']], [POD, ['link', 'set', 'vp0', 'up']], [POD, ['link', 'set', 'lo', 'up']],
      [POD, ['route', 'add', 'default', 'via', '10.99.0.1']],
    ] as const) execFileSync('ip', ['-n', ns, ...args]);
    await sh(NODE, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1');
    // A new netns copies the host's IPv4 conf/all settings (net.core.devconf_inherit_init_net=0):
    // with a k8ts server's proxy running on this host, route_localnet would start at 1 here too.
    await sh(NODE, 'sysctl', '-q', '-w', 'net.ipv4.conf.all.route_localnet=0');
    for (const [port, body] of [[8080, 'a'], [8081, 'b']] as const) {
      const child = spawn('ip', ['netns', 'exec', POD, process.execPath, '-e', `require('http').createServer((q,s)=>s.end('${body}')).listen(${port})`], { stdio: 'ignore' });
      servers.push(child);
    }
    await eventually('both pod servers', async () => (await get('http://10.99.0.2:8080/')) === 'a' && (await get('http://10.99.0.2:8081/')) === 'b');
    const ports = [{ name: 'http', port: 80, nodePort: 30080, protocol: 'TCP' as const }];
    clients.seed(SERVICES,
      svc('web', { type: 'NodePort', clusterIP: '10.43.0.10', ports }),
      svc('lb', { type: 'LoadBalancer', clusterIP: '10.43.0.11', ports: [{ name: 'http', port: 18080, nodePort: 30081, protocol: 'TCP' }] }, ['127.0.0.1']),
      svc('sticky', { clusterIP: '10.43.0.12', sessionAffinity: 'ClientIP' }),
      svc('empty', { type: 'NodePort', clusterIP: '10.43.0.13', ports: [{ name: 'http', port: 80, nodePort: 30082, protocol: 'TCP' }] }),
    );
    const two = [ep('10.99.0.2')];
    clients.seed(ENDPOINTSLICES,
      slice('web', two), slice('web', two, { name: 'web-b', port: 8081 }),
      slice('lb', two), slice('lb', two, { name: 'lb-b', port: 8081 }),
      slice('sticky', two), slice('sticky', two, { name: 'sticky-b', port: 8081 }),
    );
  });

  after(async () => {
    abort.abort();
    await running;
    for (const child of servers) child.kill();
    for (const ns of [POD, NODE]) execFileSync('ip', ['netns', 'del', ns]);
    rmSync(markerDir, { recursive: true, force: true });
  });

  it('a crashed proxy\'s leftovers are replaced at start', async () => {
    await host.restore('*nat\n:K8TS-IT-SVC-LEFTOVER - [0:0]\nCOMMIT\n');
    startProxy();
    await eventually('rules and jumps programmed', async () => (await ourChains()).some((l) => l.startsWith('-A OUTPUT ')));
    await eventually('the leftover chain deleted', async () => !(await ourChains()).some((l) => l.includes('LEFTOVER')));
  });

  it('ClusterIP from the node reaches both endpoints', async () => {
    assert.deepEqual([...(await times(40, () => get('http://10.43.0.10/')))].sort(), ['a', 'b']);
  });

  it('NodePort on 127.0.0.1 (route_localnet) and on another local address; the LB ingress IP on the service port', async () => {
    assert.equal(await routeLocalnet(), '1');
    assert.match(await get('http://127.0.0.1:30080/'), /^[ab]$/);
    assert.match(await get('http://192.0.2.2:30080/'), /^[ab]$/);
    assert.match(await get('http://127.0.0.1:18080/'), /^[ab]$/);
  });

  it('a pod reaches the service, including itself (hairpin, masqueraded)', async () => {
    assert.deepEqual([...(await times(30, () => get('http://10.43.0.10/', POD)))].sort(), ['a', 'b']);
  });

  it('sessionAffinity ClientIP pins a client to one endpoint', async () => {
    const seen = await times(20, () => get('http://10.43.0.12/'));
    assert.equal(seen.size, 1, [...seen].join());
  });

  it('a service without endpoints is rejected at once (connection refused, not a timeout)', async () => {
    assert.equal(await get('http://10.43.0.13/'), 'exit 7');
    assert.equal(await get('http://192.0.2.2:30082/'), 'exit 7');
    assert.ok((await ourChains()).some((l) => l.includes('10.43.0.13/32') && l.includes('REJECT')));
  });

  it('follows a service deletion', async () => {
    const before = (await ourChains()).filter((l) => l.includes('-SVC-')).length;
    await services.delete('default', 'sticky');
    await eventually('sticky unprogrammed', async () => !/^[ab]$/.test(await get('http://10.43.0.12/')));
    assert.ok((await ourChains()).filter((l) => l.includes('-SVC-')).length < before);
  });

  it('stopping removes every chain and jump and restores route_localnet', async () => {
    abort.abort();
    await running;
    assert.deepEqual(await ourChains(), []);
    assert.equal(await routeLocalnet(), '0');
    assert.doesNotMatch(await get('http://10.43.0.10/'), /^[ab]$/);
    // nothing of ours is left for deleteChainsText to find
    assert.equal(deleteChainsText(await host.listChains((c) => names.owns(c))), '');
  });
});

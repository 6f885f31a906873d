// Root only: stale UDP conntrack entries deleted by the real proxy, in private network namespaces
// (veth links only; the host's tables are never touched). POD holds two endpoints, A (10.99.0.2)
// and B (10.99.0.3), each a UDP server on 5353 answering its letter. A client in NODE (where the
// proxy runs) sends a datagram every 100 ms to the cluster IP 10.43.0.30:53 from one fixed source
// port, so its conntrack entry never expires: without the cleaner it stays wherever its first
// datagram went, with it the client follows the rules.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { SharedInformerFactory } from '../../client/informer/shared-informer-factory.js';
import { ENDPOINTSLICES, SERVICES } from '../../client/resource-types.js';
import { systemClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { execRunner } from '../../lib/command-runner.js';
import { IptablesHost } from './iptables-host.js';
import { until } from './netns-requests.fixture.js';
import { ep, slice, svc } from './proxy-test-objects.fixture.js';
import { ServiceProxy } from './service-proxy.js';

const root = process.getuid?.() === 0;
const hasConntrack = ((): boolean => {
  try {
    execFileSync('conntrack', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
// Under CI the binary is a requirement (.ci/run installs it): run and fail rather than skip.
const skip = !root ? 'needs root (ip netns, iptables)' : !hasConntrack && process.env.CI !== 'true' ? 'needs conntrack (conntrack-tools)' : false;
const NODE = `k8ts-h44-node-${process.pid}`;
const POD = `k8ts-h44-pod-${process.pid}`;
const run = promisify(execFile);
const eventually = (what: string, probe: () => Promise<boolean>): Promise<void> => until(what, probe, 15_000);

function ip(netns: string, ...args: string[]): void {
  execFileSync('ip', ['-n', netns, ...args]);
}

const server = (address: string, letter: string): string =>
  `const s=require('dgram').createSocket('udp4');s.on('message',(m,r)=>s.send('${letter}',r.port,r.address));s.bind(5353,'${address}')`;
// Unconnected: an ICMP error (REJECT, no route) does not end it; every answer is one stdout line.
const CLIENT = "const s=require('dgram').createSocket('udp4');s.on('error',()=>{});s.on('message',(m)=>process.stdout.write(m+'\\n'));" +
  "s.bind(40053,()=>setInterval(()=>s.send('q',53,'10.43.0.30',()=>{}),100))";

describe('stale UDP conntrack entries in private network namespaces', { skip, timeout: 120_000 }, () => {
  const children: ChildProcess[] = [];
  const made: string[] = [];
  const clients = new FakeClientSet();
  const abort = new AbortController();
  let proxyAbort = new AbortController();
  let running: Promise<void> = Promise.resolve();
  const answers: string[] = [];
  /** Seconds since the client's flow (its source port is fixed) was created, if it exists. */
  const clientFlowAge = async (): Promise<number | undefined> => {
    const { stdout } = await run('ip', ['netns', 'exec', NODE, 'conntrack', '-L', '-p', 'udp', '--orig-dst', '10.43.0.30', '-o', 'timestamp'], { encoding: 'utf8' });
    const age = /sport=40053 dport=53 .*\bdelta-time=(\d+)/.exec(stdout)?.[1];
    return age === undefined ? undefined : Number(age);
  };
  const informers = new SharedInformerFactory({ clients });
  const newProxy = (): ServiceProxy => new ServiceProxy({
    informers, host: new IptablesHost({ runner: execRunner({ netns: NODE }) }), chainTag: 'UC', clusterCidr: '10.99.0.0/24',
    clock: systemClock, logger: silentLogger(), minSyncIntervalMs: 20,
  });

  before(async () => {
    for (const ns of [NODE, POD]) {
      execFileSync('ip', ['netns', 'add', ns]);
      made.push(ns);
      ip(ns, 'link', 'set', 'lo', 'up');
    }
    ip(NODE, 'link', 'add', 'vn0', 'type', 'veth', 'peer', 'name', 'vp0', 'netns', POD);
    ip(NODE, 'addr', 'add', '10.99.0.1/24', 'dev', 'vn0');
    ip(NODE, 'link', 'set', 'vn0', 'up');
    ip(POD, 'addr', 'add', '10.99.0.2/24', 'dev', 'vp0');
    ip(POD, 'addr', 'add', '10.99.0.3/24', 'dev', 'vp0');
    ip(POD, 'link', 'set', 'vp0', 'up');
    ip(POD, 'route', 'add', 'default', 'via', '10.99.0.1');
    // An "uplink" (a veth whose peer stays in NODE): before the rules, the client's datagrams
    // leave through it undNATed and unanswered, which is what creates the first stale entry.
    ip(NODE, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0p');
    ip(NODE, 'addr', 'add', '192.0.2.2/24', 'dev', 'eth0');
    ip(NODE, 'link', 'set', 'eth0', 'up');
    ip(NODE, 'link', 'set', 'eth0p', 'up');
    ip(NODE, 'route', 'add', 'default', 'via', '192.0.2.1');
    // Entries carry their age (delta-time), so a kept flow can be told from a re-created one.
    execFileSync('ip', ['netns', 'exec', NODE, 'sysctl', '-q', '-w', 'net.netfilter.nf_conntrack_timestamp=1']);
    // A namespace tracks connections only once a rule needs it; a real node does from the start.
    execFileSync('ip', ['netns', 'exec', NODE, 'iptables', '-w', '5', '-A', 'INPUT', '-m', 'conntrack', '--ctstate', 'INVALID', '-j', 'DROP']);
    for (const [address, letter] of [['10.99.0.2', 'a'], ['10.99.0.3', 'b']] as const) {
      children.push(spawn('ip', ['netns', 'exec', POD, process.execPath, '-e', server(address, letter)], { stdio: 'ignore' }));
    }
    const udp = [{ name: 'dns', port: 53, protocol: 'UDP' as const }];
    clients.seed(SERVICES, svc('dns', { clusterIP: '10.43.0.30', ports: udp }));
    clients.seed(ENDPOINTSLICES, slice('dns', [ep('10.99.0.2')], { portName: 'dns', port: 5353, protocol: 'UDP' }));
  });

  after(async () => {
    abort.abort();
    proxyAbort.abort();
    await running;
    for (const child of children) child.kill();
    for (const ns of made.reverse()) {
      try {
        execFileSync('ip', ['netns', 'del', ns]);
      } catch {
        // already gone
      }
    }
  });

  it('a flow made before the rules existed is deleted at the first sync: the client reaches A', async () => {
    const client = spawn('ip', ['netns', 'exec', NODE, process.execPath, '-e', CLIENT], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(client);
    client.stdout.setEncoding('utf8').on('data', (chunk: string) => answers.push(...chunk.split('\n').filter(Boolean)));
    const entries = async () => (await run('ip', ['netns', 'exec', NODE, 'conntrack', '-L', '-p', 'udp', '--orig-dst', '10.43.0.30'], { encoding: 'utf8' })).stdout;
    await eventually('the client\'s undNATed entry', async () => /sport=40053 dport=53/.test(await entries()));
    assert.equal(answers.length, 0);

    informers.start(abort.signal);
    running = newProxy().run(proxyAbort.signal);
    await eventually('an answer from A', async () => answers.includes('a'));
  });

  it('A replaced by B: the client\'s next datagrams reach B', async () => {
    const slices = clients.resource<ReturnType<typeof slice>>(ENDPOINTSLICES);
    const stored = await slices.get('default', 'dns-abcde');
    const seen = answers.length;
    await slices.update('default', { ...stored, endpoints: [ep('10.99.0.3')] });
    // A still answers (its pod may take a while to stop): only the deleted entry moves the client.
    await eventually('an answer from B', async () => answers.slice(seen).includes('b'));
    const later = answers.length;
    await eventually('five more answers', async () => answers.length >= later + 5);
    assert.deepEqual([...new Set(answers.slice(later))], ['b']);
  });

  it("a restarted proxy's first sync keeps the live flow to a current endpoint (it reconciles, not flushes)", async () => {
    // The entry's age (conntrack timestamps, on in NODE) tells the kept flow from a new one for the
    // same tuple: a deleted entry's successor starts again at 0 s.
    await eventually('the client flow is two seconds old', async () => ((await clientFlowAge()) ?? 0) >= 2);
    proxyAbort.abort();
    await running;
    proxyAbort = new AbortController();
    const proxy = newProxy();
    running = proxy.run(proxyAbort.signal);
    await eventually('the new proxy synced', () => Promise.resolve(proxy.appliedSyncs >= 1));
    const seen = answers.length;
    await eventually('five more answers', async () => answers.length >= seen + 5);
    assert.ok(((await clientFlowAge()) ?? 0) >= 2, 'the same conntrack entry: the flow was not deleted');
    assert.deepEqual([...new Set(answers.slice(seen))], ['b']);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { SharedInformerFactory } from '../../client/informer/shared-informer-factory.js';
import { ENDPOINTSLICES, NODES, SERVICES } from '../../client/resource-types.js';
import { FakeTimers } from '../../client/timers.js';
import { silentLogger } from '../../lib/logger.js';
import { ChainNames } from './chain-names.js';
import type { CommandResult, CommandRunner } from '../../lib/command-runner.js';
import { IptablesHost } from './iptables-host.js';
import { ep, slice, svc } from './proxy-test-objects.fixture.js';
import { ServiceProxy } from './service-proxy.js';

/** Answers like a machine where a crashed proxy of this node left a chain, and records every call. */
class FakeRunner implements CommandRunner {
  readonly calls: { command: string; args: readonly string[]; input?: string }[] = [];
  readonly sysctls = new Map([['net.ipv4.conf.all.route_localnet', '0'], ['net.bridge.bridge-nf-call-iptables', '1']]);
  saved = '*nat\n:PREROUTING ACCEPT [0:0]\n:K8TS-T1-SVC-STALE - [0:0]\n:K8TS-OTHR-SERVICES - [0:0]\nCOMMIT\n';

  run(command: string, args: readonly string[], input?: string): Promise<CommandResult> {
    this.calls.push({ command, args, ...(input !== undefined ? { input } : {}) });
    const ok = (stdout = ''): Promise<CommandResult> => Promise.resolve({ code: 0, stdout, stderr: '' });
    if (command === 'iptables-save') return ok(args.includes('nat') ? this.saved : '*filter\nCOMMIT\n');
    if (command === 'sysctl' && args[0] === '-n') return ok(`${this.sysctls.get(args[1] ?? '') ?? ''}\n`);
    if (command === 'sysctl') {
      const [key, value] = (args.at(-1) ?? '').split('=');
      this.sysctls.set(key ?? '', value ?? '');
      return ok();
    }
    if (command === 'iptables' && (args.includes('-C') || args.includes('-D'))) return Promise.resolve({ code: 1, stdout: '', stderr: 'no such rule' });
    return ok();
  }

  restores(): string[] {
    return this.calls.filter((c) => c.command === 'iptables-restore').map((c) => c.input ?? '');
  }
}

const settle = async () => {
  for (let i = 0; i < 30; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

/**
 * Moves the fake clock by `ms` and lets the proxy run until it has written `batches` restore
 * batches. Start-up writes a real marker file (route_localnet), so on a loaded machine a fixed
 * number of event-loop turns is not enough; gives up after 10 s of wall time.
 */
const advanceUntilBatches = async (runner: FakeRunner, timers: FakeTimers, ms: number, batches: number) => {
  const deadline = Date.now() + 10_000;
  do {
    await settle();
    timers.advance(ms);
    await settle();
  } while (runner.restores().length < batches && Date.now() < deadline);
};

describe('ServiceProxy', () => {
  const markerDir = mkdtempSync(join(tmpdir(), 'k8ts-proxy-test-'));
  after(() => rmSync(markerDir, { recursive: true, force: true }));

  it('programs services from the informers, replaces a crashed proxy\'s chains, follows changes, and removes everything on stop', async () => {
    const clients = new FakeClientSet();
    clients.seed(SERVICES, svc('web', { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080, protocol: 'TCP' }] }));
    clients.seed(ENDPOINTSLICES, slice('web', [ep('10.88.1.2')]));
    const informers = new SharedInformerFactory({ clients });
    const runner = new FakeRunner();
    const timers = new FakeTimers();
    const proxy = new ServiceProxy({
      informers, host: new IptablesHost({ runner }), chainTag: 'T1', clusterCidr: '10.88.1.0/24', routeLocalnetMarkerDir: markerDir,
      clock: timers.clock, timers, logger: silentLogger(),
    });
    const abort = new AbortController();
    informers.start(abort.signal);
    const running = proxy.run(abort.signal);
    await advanceUntilBatches(runner, timers, 0, 1);

    const [first] = runner.restores();
    assert.ok(first, 'one batch after the informers synced');
    assert.match(first, /-j DNAT --to-destination 10\.88\.1\.2:8080/);
    assert.match(first, /--dport 30080 -j K8TS-T1-EXT-/);
    assert.match(first, /^-X K8TS-T1-SVC-STALE$/m, 'the crashed proxy\'s chain is deleted');
    assert.doesNotMatch(first, /K8TS-OTHR/, 'another node\'s chains are not ours');
    const inserted = runner.calls.filter((c) => c.command === 'iptables' && c.args.includes('-I'));
    assert.equal(inserted.length, 12, 'base-chain jumps inserted once each');
    assert.equal(runner.sysctls.get('net.ipv4.conf.all.route_localnet'), '1');

    // A second endpoint: the next batch (after the rate limit) balances over both.
    const slices = clients.resource<ReturnType<typeof slice>>(ENDPOINTSLICES);
    const stored = await slices.get('default', 'web-abcde');
    await slices.update('default', { ...stored, endpoints: [ep('10.88.1.2'), ep('10.88.1.3')] });
    await advanceUntilBatches(runner, timers, 250, 2);
    const second = runner.restores()[1] ?? '';
    assert.match(second, /--probability 0\.5000000000 -j K8TS-T1-SEP-/);
    assert.match(second, /--to-destination 10\.88\.1\.3:8080/);
    assert.doesNotMatch(second, /STALE/);

    // Another proxy's SERVICES chain is still there: route_localnet stays on for it.
    abort.abort();
    await running;
    const deletes = runner.calls.filter((c) => c.command === 'iptables' && c.args.includes('-D'));
    assert.equal(deletes.length, 12, 'every base-chain jump deleted');
    const last = runner.restores().at(-1) ?? '';
    assert.match(last, /^-X K8TS-T1-SVC-STALE$/m, 'cleanup deletes what iptables-save shows as ours');
    assert.equal(runner.sysctls.get('net.ipv4.conf.all.route_localnet'), '1');

    // The last proxy out puts route_localnet back.
    runner.saved = '*nat\nCOMMIT\n';
    const again = new AbortController();
    const informers2 = new SharedInformerFactory({ clients });
    informers2.start(again.signal);
    const proxy2 = new ServiceProxy({ informers: informers2, host: new IptablesHost({ runner }), chainTag: 'T1', routeLocalnetMarkerDir: markerDir, clock: timers.clock, timers, logger: silentLogger() });
    const running2 = proxy2.run(again.signal);
    await settle();
    again.abort();
    await running2;
    assert.equal(runner.sysctls.get('net.ipv4.conf.all.route_localnet'), '0');
  });

  it('masquerades all service traffic when bridged traffic bypasses iptables', async () => {
    const clients = new FakeClientSet();
    clients.seed(SERVICES, svc('web'));
    clients.seed(ENDPOINTSLICES, slice('web', [ep('10.88.1.2')]));
    const informers = new SharedInformerFactory({ clients });
    const runner = new FakeRunner();
    runner.sysctls.delete('net.bridge.bridge-nf-call-iptables');
    const timers = new FakeTimers();
    const proxy = new ServiceProxy({ informers, host: new IptablesHost({ runner }), chainTag: 'T1', clusterCidr: '10.88.1.0/24', clock: timers.clock, timers, logger: silentLogger() });
    const abort = new AbortController();
    informers.start(abort.signal);
    const running = proxy.run(abort.signal);
    await advanceUntilBatches(runner, timers, 0, 1);
    const svcChain = new ChainNames('T1').service('default/web:http', 'TCP');
    const [first] = runner.restores();
    assert.match(first ?? '', new RegExp(`^-A ${svcChain} -d 10\\.43\\.0\\.10/32 .* -j K8TS-T1-MARK-MASQ$`, 'm'));
    assert.doesNotMatch(first ?? '', /! -s 10\.88\.1\.0\/24/);
    assert.ok(!runner.calls.some((c) => c.command === 'sysctl' && c.args[0] === '-w'), 'route_localnet untouched without a marker dir');
    abort.abort();
    await running;
  });

  it('reports syncs to its health: failing ones turn it unhealthy after 2x the resync period; follows its Node', async () => {
    const clients = new FakeClientSet();
    clients.seed(SERVICES, svc('web'));
    clients.seed(ENDPOINTSLICES, slice('web', [ep('10.88.1.2')]));
    clients.seed(NODES, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    const informers = new SharedInformerFactory({ clients });
    const runner = new FakeRunner();
    let failing = true;
    const run = runner.run.bind(runner);
    runner.run = async (command, args, input) => {
      const result = await run(command, args, input);
      return failing && command === 'iptables-restore' ? { code: 1, stdout: '', stderr: 'boom' } : result;
    };
    const timers = new FakeTimers();
    const proxy = new ServiceProxy({ informers, host: new IptablesHost({ runner }), chainTag: 'T1', nodeName: 'n1', clock: timers.clock, timers, logger: silentLogger(), resyncIntervalMs: 30_000 });
    assert.equal(proxy.health.healthTimeoutMs, 60_000);
    const abort = new AbortController();
    informers.start(abort.signal);
    const running = proxy.run(abort.signal);
    await advanceUntilBatches(runner, timers, 0, 1);
    assert.equal(proxy.health.isHealthy(), true, 'one failure is not late yet');
    for (let waited = 0; waited < 60_000; waited += 1_000) await advanceUntilBatches(runner, timers, 1_000, 0);
    assert.equal(proxy.appliedSyncs, 0);
    assert.equal(proxy.health.isHealthy(), false, 'syncs have failed for 60 s');
    failing = false;
    await advanceUntilBatches(runner, timers, 1_000, runner.restores().length + 1);
    for (let i = 0; i < 30 && proxy.appliedSyncs === 0; i++) await settle();
    assert.equal(proxy.appliedSyncs, 1);
    assert.equal(proxy.health.isHealthy(), true);

    assert.equal(proxy.health.nodeEligible, true);
    const nodes = clients.resource(NODES);
    await nodes.update(undefined, { ...(await nodes.get(undefined, 'n1')), spec: { taints: [{ key: 'ToBeDeletedByClusterAutoscaler', effect: 'NoSchedule' }] } });
    for (let i = 0; i < 30 && proxy.health.nodeEligible; i++) await settle();
    assert.equal(proxy.health.nodeEligible, false);
    abort.abort();
    await running;
  });
});

import assert from 'node:assert/strict';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { localServerUrl, renderKubeconfig } from './kubeconfig.js';
import { parseServerFlags, parseStoreSpec } from './server-flags.js';
import { UsageError } from './usage-error.js';

describe('k8ts server flags', () => {
  it('applies the defaults', () => {
    assert.deepEqual(parseServerFlags([], {}), {
      dataDir: join(homedir(), '.k8ts'), port: 6443, address: '127.0.0.1', store: { kind: 'sqlite' }, logLevel: 'info',
      controllers: { nodeMonitorGracePeriodMs: 50_000, nodeStartupGracePeriodMs: 60_000, schedulerThread: true },
      serviceClusterIpRange: '10.43.0.0/16', serviceNodePortRange: '30000-32767', eventTtlMs: 3_600_000, gateway: { address: '127.0.0.1', adminPort: 9080 },
      agent: {
        nodeName: hostname().toLowerCase(), runtime: 'auto', nodeLeaseDurationSeconds: 40, nodeStatusUpdateFrequencyMs: 10_000, stopPodsOnExit: false, podNetwork: 'auto', podCidr: '10.88.1.0/24', podBridge: 'k8ts0', systemReserved: { cpu: '100m', memory: '256Mi' }, volumeResyncPeriodMs: 60_000,
        proxyHealthzAddress: { host: '0.0.0.0', port: 10256 }, clusterDns: '169.254.20.10', clusterDomain: 'cluster.local',
      },
    });
  });

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    const flags = parseServerFlags(
      ['--data-dir', '/tmp/x', '--port=7000', '--address', '0.0.0.0', '--advertise-address=10.0.0.5', '--store', 'etcd://a:2379,b:2379', '--log-level', 'debug'],
      { K8TS_LOG_LEVEL: 'warn' },
    );
    assert.deepEqual({ ...flags, controllers: undefined, agent: undefined }, {
      dataDir: '/tmp/x', port: 7000, address: '0.0.0.0', advertiseAddress: '10.0.0.5',
      store: { kind: 'etcd', endpoints: ['http://a:2379', 'http://b:2379'] }, logLevel: 'debug', controllers: undefined, agent: undefined,
      serviceClusterIpRange: '10.43.0.0/16', serviceNodePortRange: '30000-32767', eventTtlMs: 3_600_000, gateway: { address: '127.0.0.1', adminPort: 9080 },
    });
    assert.equal(parseServerFlags([], { K8TS_LOG_LEVEL: 'warn' })?.logLevel, 'warn');
    assert.equal(parseServerFlags(['--data-dir', '~/k'], {})?.dataDir, join(homedir(), 'k'));
  });

  it('reads the controller and node agent flags', () => {
    const flags = parseServerFlags(
      ['--node-monitor-grace-period', '4s', '--node-startup-grace-period=1m', '--node-name', 'n1', '--runtime', 'fake',
        '--node-lease-duration-seconds', '4', '--node-status-update-frequency', '500ms', '--stop-pods-on-exit', '--volume-resync-period', '5s',
        '--proxy-healthz-address', '127.0.0.1:4000'],
      {},
    );
    assert.deepEqual(flags?.controllers, { nodeMonitorGracePeriodMs: 4000, nodeStartupGracePeriodMs: 60_000, schedulerThread: true });
    assert.deepEqual(flags.agent, { nodeName: 'n1', runtime: 'fake', nodeLeaseDurationSeconds: 4, nodeStatusUpdateFrequencyMs: 500, stopPodsOnExit: true, podNetwork: 'auto', podCidr: '10.88.1.0/24', podBridge: 'k8ts0', systemReserved: { cpu: '100m', memory: '256Mi' }, volumeResyncPeriodMs: 5000, proxyHealthzAddress: { host: '127.0.0.1', port: 4000 }, clusterDns: '169.254.20.10', clusterDomain: 'cluster.local' });
    const bare = parseServerFlags(['--no-agent', '--no-controllers'], {});
    assert.equal(bare?.agent, undefined);
    assert.equal(bare?.controllers, undefined);
    assert.throws(() => parseServerFlags(['--runtime', 'docker'], {}), /invalid --runtime "docker": use auto, containerd, process or fake/);
    assert.throws(() => parseServerFlags(['--node-name', 'Big_Node'], {}), /invalid --node-name "Big_Node"/);
    assert.throws(() => parseServerFlags(['--node-monitor-grace-period', '50'], {}), /invalid --node-monitor-grace-period "50"/);
  });

  it('runs the scheduler on its own thread unless --no-scheduler-thread or K8TS_SCHEDULER_THREAD=0', () => {
    assert.equal(parseServerFlags([], {})?.controllers?.schedulerThread, true);
    assert.equal(parseServerFlags([], { K8TS_SCHEDULER_THREAD: '1' })?.controllers?.schedulerThread, true);
    assert.equal(parseServerFlags(['--no-scheduler-thread'], {})?.controllers?.schedulerThread, false);
    assert.equal(parseServerFlags([], { K8TS_SCHEDULER_THREAD: '0' })?.controllers?.schedulerThread, false);
    assert.equal(parseServerFlags([], { K8TS_SCHEDULER_THREAD: 'false' })?.controllers?.schedulerThread, false);
  });

  it('reads and checks the service ranges', () => {
    const flags = parseServerFlags(['--service-cluster-ip-range', '10.96.7.9/12', '--service-node-port-range=31000-31099'], {});
    assert.equal(flags?.serviceClusterIpRange, '10.96.0.0/12');
    assert.equal(flags.serviceNodePortRange, '31000-31099');
    assert.throws(() => parseServerFlags(['--service-cluster-ip-range', '10.0.0.0/8'], {}), /invalid --service-cluster-ip-range "10.0.0.0\/8": .*too large/);
    assert.throws(() => parseServerFlags(['--service-cluster-ip-range', 'fd00::/108'], {}), /invalid --service-cluster-ip-range/);
    assert.throws(() => parseServerFlags(['--service-node-port-range', '32000-31000'], {}), /invalid --service-node-port-range "32000-31000"/);
  });

  it('reads --event-ttl as a Go duration (default 1h, as upstream)', () => {
    assert.equal(parseServerFlags(['--event-ttl', '90s'], {})?.eventTtlMs, 90_000);
    assert.equal(parseServerFlags(['--event-ttl=1h0m0s'], {})?.eventTtlMs, 3_600_000);
    assert.throws(() => parseServerFlags(['--event-ttl', '0'], {}), /invalid --event-ttl "0": must be positive/);
    assert.throws(() => parseServerFlags(['--event-ttl', '10'], {}), /invalid --event-ttl "10"/);
  });

  it('returns undefined for --help', () => {
    assert.equal(parseServerFlags(['--help'], {}), undefined);
    assert.equal(parseServerFlags(['-h'], {}), undefined);
  });

  it('names the offending flag or value', () => {
    assert.throws(() => parseServerFlags(['--prot', '1'], {}), (e: Error) => e instanceof UsageError && e.message === 'unknown flag: --prot');
    assert.throws(() => parseServerFlags(['--port', '70000'], {}), /invalid --port "70000"/);
    assert.throws(() => parseServerFlags(['--address', 'localhost'], {}), /invalid --address/);
    assert.throws(() => parseServerFlags(['--log-level', 'loud'], {}), /invalid --log-level "loud"/);
    assert.throws(() => parseStoreSpec('postgres'), /invalid --store "postgres"/);
    assert.throws(() => parseStoreSpec('etcd://nohost'), /"nohost" is not host:port/);
    assert.deepEqual(parseStoreSpec('memory'), { kind: 'memory' });
  });
});

describe('kubeconfig', () => {
  it('has the cluster with the CA, the admin token and the k8ts context', () => {
    const config = parse(renderKubeconfig({ server: 'https://127.0.0.1:6443', caCert: 'PEM', token: 'tok' })) as Record<string, any>;
    assert.equal(config['current-context'], 'k8ts');
    assert.equal(config.clusters[0].cluster.server, 'https://127.0.0.1:6443');
    assert.equal(Buffer.from(config.clusters[0].cluster['certificate-authority-data'] as string, 'base64').toString(), 'PEM');
    assert.equal(config.users[0].user.token, 'tok');
    assert.deepEqual(config.contexts[0], { name: 'k8ts', context: { cluster: 'k8ts', user: 'k8ts-admin' } });
  });

  it('points local clients at loopback unless bound to one specific address', () => {
    assert.equal(localServerUrl('0.0.0.0', 6443), 'https://127.0.0.1:6443');
    assert.equal(localServerUrl('127.0.0.1', 1), 'https://127.0.0.1:1');
    assert.equal(localServerUrl('10.0.0.5', 6443), 'https://10.0.0.5:6443');
    assert.equal(localServerUrl('fd00::1', 6443), 'https://[fd00::1]:6443');
  });
});

describe('pod network flags', () => {
  it('reads --pod-network and --pod-cidr, and rejects nonsense', () => {
    const flags = parseServerFlags(['--pod-network', 'host', '--pod-cidr', '10.88.7.0/24'], {});
    assert.equal(flags?.agent?.podNetwork, 'host');
    assert.equal(flags?.agent?.podCidr, '10.88.7.0/24');
    assert.throws(() => parseServerFlags(['--pod-network', 'bridge'], {}), /invalid --pod-network "bridge"/);
    assert.throws(() => parseServerFlags(['--pod-cidr', '10.88.7.0'], {}), /invalid --pod-cidr/);
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { silentLogger } from '../../../lib/logger.js';
import type { PodSandboxConfig } from '../runtime.js';
import { CniNetwork, type CommandRunner } from './cni-network.js';
import type { ShimCommand, ShimCommandResult } from './shim-protocol.js';

/** The host as far as `ip` and the plugins go: bridges and namespaces, no kernel. */
class FakeHost implements CommandRunner {
  readonly bridges = new Set<string>();
  readonly namespaces = new Set<string>();
  readonly deletedWith: string[] = [];
  /** Every command, as `ip <args>` or `<plugin type> <CNI_COMMAND> <CNI_IFNAME>`. */
  readonly log: string[] = [];
  /** While set, `ip netns add` waits for it. */
  gate: Promise<void> | undefined;

  async run({ argv, env, stdin }: ShimCommand): Promise<ShimCommandResult> {
    const ok = (stdout = ''): ShimCommandResult => ({ code: 0, stdout, stderr: '' });
    const [file = '', ...args] = argv;
    const line = args.join(' ');
    if (file === 'ip') this.log.push(`ip ${line}`);
    else this.log.push(`${(JSON.parse(stdin) as { type: string }).type} ${env['CNI_COMMAND'] ?? ''} ${env['CNI_IFNAME'] ?? ''}`);
    if (file === 'ip') {
      if (line.startsWith('link show ')) return this.bridges.has(args[2] ?? '') ? ok() : { code: 1, stdout: '', stderr: 'does not exist' };
      if (line.startsWith('link delete ')) this.bridges.delete(args[2] ?? '');
      if (line.startsWith('netns add ')) {
        await this.gate;
        this.namespaces.add(args[2] ?? '');
      }
      if (line.startsWith('netns delete ')) this.namespaces.delete(args[2] ?? '');
      if (line === 'netns list') return ok([...this.namespaces].map((n) => `${n}\n`).join(''));
      return ok();
    }
    const conf = JSON.parse(stdin) as { type: string; bridge?: string; name: string };
    if (conf.type !== 'bridge') return ok();
    if (env['CNI_COMMAND'] === 'DEL') {
      this.deletedWith.push(conf.bridge ?? '');
      return ok();
    }
    this.bridges.add(conf.bridge ?? '');
    return ok(JSON.stringify({ ips: [{ address: '10.1.0.2/24' }] }));
  }

  close(): void {}
}

const config: PodSandboxConfig = {
  podUid: 'u', podName: 'p', podNamespace: 'default', attempt: 0, hostname: 'p', hostNetwork: false, portMappings: [], logDirectory: '/tmp', labels: {},
};

async function stateDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-cni-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('CniNetwork bridge ownership', () => {
  it('deletes the bridge it created once the last namespace is gone', async (t) => {
    const host = new FakeHost();
    const net = new CniNetwork({ stateDir: await stateDir(t), logger: silentLogger(), bridge: 'br1', runner: host });
    const a = await net.setUp('a', config);
    assert.equal(a.ip, '10.1.0.2');
    await net.close();
    assert.ok(host.bridges.has('br1'), 'a namespace is left');
    await net.tearDown('a', a);
    await net.close();
    assert.ok(!host.bridges.has('br1'));
  });

  it('leaves the bridge alone while a setUp is under way (the plugin would re-create it unowned)', async (t) => {
    const host = new FakeHost();
    const net = new CniNetwork({ stateDir: await stateDir(t), logger: silentLogger(), bridge: 'br2', runner: host });
    const a = await net.setUp('a', config);
    await net.tearDown('a', a);
    let open: () => void = () => undefined;
    host.gate = new Promise((resolve) => (open = resolve));
    const b = net.setUp('b', config);
    await net.close();
    assert.ok(host.bridges.has('br2'));
    open();
    await net.tearDown('b', await b);
    await net.close();
    assert.ok(!host.bridges.has('br2'), 'owned again after the setUp, so removed at the end');
  });

  it('tears down with the bridge of the setUp and removes it even when a restarted agent uses another bridge', async (t) => {
    const host = new FakeHost();
    const dir = await stateDir(t);
    const first = new CniNetwork({ stateDir: dir, logger: silentLogger(), bridge: 'old0', runner: host });
    const a = await first.setUp('a', config);
    const second = new CniNetwork({ stateDir: dir, logger: silentLogger(), bridge: 'new0', runner: host });
    await second.tearDown('a', a);
    assert.deepEqual(host.deletedWith, ['old0']);
    await second.close();
    assert.ok(!host.bridges.has('old0'));
  });
});

describe('CniNetwork setup', () => {
  it('creates the namespace, brings its lo up with ip (no loopback plugin), then runs the bridge plugin on eth0', async (t) => {
    const host = new FakeHost();
    const net = new CniNetwork({ stateDir: await stateDir(t), logger: silentLogger(), bridge: 'br3', runner: host });
    const a = await net.setUp('a', config);
    assert.deepEqual(host.log.slice(1), ['ip netns add br3-a', 'ip -n br3-a link set lo up', 'bridge ADD eth0']);
    host.log.length = 0;
    await net.tearDown('a', a);
    assert.deepEqual(host.log, ['bridge DEL eth0', 'ip netns delete br3-a']);
  });

  it("gives a pod with a DNS config its resolv.conf in the namespace's /etc (ip netns exec mounts it), gone with the namespace", async (t) => {
    const host = new FakeHost();
    const dir = await stateDir(t);
    const etc = join(dir, 'etc-netns');
    const net = new CniNetwork({ stateDir: dir, logger: silentLogger(), bridge: 'br4', runner: host, netnsEtcDir: etc });
    const dnsConfig = { servers: ['169.254.20.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local'], options: ['ndots:5'] };
    const a = await net.setUp('a', { ...config, dnsConfig });
    assert.equal(
      await readFile(join(etc, 'br4-a', 'resolv.conf'), 'utf8'),
      'search default.svc.cluster.local svc.cluster.local\nnameserver 169.254.20.10\noptions ndots:5\n',
    );
    await net.tearDown('a', a);
    await assert.rejects(stat(join(etc, 'br4-a')), { code: 'ENOENT' });
    const b = await net.setUp('b', config);
    await assert.rejects(stat(join(etc, 'br4-b')), { code: 'ENOENT' }, 'no DNS config: the host resolv.conf stays');
    await net.tearDown('b', b);
  });
});

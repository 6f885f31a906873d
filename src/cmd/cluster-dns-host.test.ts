import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ContainerRuntime } from '../agent/runtime/runtime.js';
import { nodeDnsSettings, readHostResolvConf, servesClusterDns } from './cluster-dns-host.js';
import { parseNodeAgentFlags } from './node-flags.js';

const runtime = (name: string, podNetworking: boolean): ContainerRuntime => ({ name, capabilities: { podNetworking, pullsImages: false } }) as unknown as ContainerRuntime;
const flags = parseNodeAgentFlags({ 'node-name': 'n1' });
const off = parseNodeAgentFlags({ 'node-name': 'n1', 'cluster-dns': '' });

describe('node cluster DNS settings', () => {
  it('serves DNS only as root, with --cluster-dns, on a runtime that gives pods their own network', () => {
    assert.equal(servesClusterDns(flags, runtime('process', true), 0), true);
    assert.equal(servesClusterDns(flags, runtime('containerd', true), 0), true);
    assert.equal(servesClusterDns(flags, runtime('process', false), 0), false, 'no CNI plugins: pods share the host network');
    assert.equal(servesClusterDns(flags, runtime('process', true), 1000), false, 'not root');
    assert.equal(servesClusterDns(flags, runtime('fake', true), 0), false, 'hollow pods resolve nothing');
    assert.equal(servesClusterDns(off, runtime('process', true), 0), false);
  });

  it('tells pods the address when it is served, and hollow pods too; otherwise nothing (they fall back to Default)', async () => {
    assert.deepEqual((await nodeDnsSettings(flags, runtime('process', true), 0)).clusterDns, ['169.254.20.10']);
    assert.deepEqual((await nodeDnsSettings(flags, runtime('fake', true), 1000)).clusterDns, ['169.254.20.10']);
    assert.deepEqual((await nodeDnsSettings(flags, runtime('process', true), 1000)).clusterDns, []);
    assert.deepEqual((await nodeDnsSettings(off, runtime('fake', true), 0)).clusterDns, []);
    assert.equal((await nodeDnsSettings(flags, runtime('process', true), 0)).clusterDomain, 'cluster.local');
  });

  it("reads the node's resolv.conf, and a missing one as empty", async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-resolv-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'resolv.conf'), 'nameserver 192.0.2.53\nsearch lan\n');
    assert.deepEqual(await readHostResolvConf(join(dir, 'resolv.conf')), { nameservers: ['192.0.2.53'], searches: ['lan'], options: [] });
    assert.deepEqual(await readHostResolvConf(join(dir, 'missing')), { nameservers: [], searches: [], options: [] });
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { hostNetworkResolvConfMounts } from './host-network-resolv-conf.js';

describe('resolv.conf of a host-network container', () => {
  it("mounts a file of its own only when the pod's DNS config is not the node's", async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-hostnet-resolv-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const nodeResolvConf = join(dir, 'node-resolv.conf');
    await writeFile(nodeResolvConf, '# from DHCP\nnameserver 192.0.2.53\nsearch  lan\n');
    const node = { servers: ['192.0.2.53'], searches: ['lan'], options: [] };
    assert.deepEqual(await hostNetworkResolvConfMounts({ dnsConfig: undefined, containerDir: dir, nodeResolvConf }), []);
    assert.deepEqual(await hostNetworkResolvConfMounts({ dnsConfig: node, containerDir: dir, nodeResolvConf }), [], 'the node file, however spaced');

    const cluster = { servers: ['169.254.20.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'lan'], options: ['ndots:5'] };
    const mounts = await hostNetworkResolvConfMounts({ dnsConfig: cluster, containerDir: dir, nodeResolvConf });
    assert.deepEqual(mounts, [{ containerPath: '/etc/resolv.conf', hostPath: join(dir, 'resolv.conf'), readOnly: true }]);
    assert.equal(await readFile(join(dir, 'resolv.conf'), 'utf8'), 'search default.svc.cluster.local svc.cluster.local cluster.local lan\nnameserver 169.254.20.10\noptions ndots:5\n');
  });
});

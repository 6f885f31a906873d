import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ETC_HOSTS, hostsFileMounts, writeHostsFile } from './hosts-file-mount.js';
import type { PodObject } from './object-types.js';

function pod(spec: Partial<NonNullable<PodObject['spec']>> = {}): PodObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', uid: 'u-1' }, spec: { containers: [{ name: 'c' }], ...spec } };
}

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-hosts-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('managed /etc/hosts', () => {
  it('writes <pod dir>/etc-hosts with the pod IP, and rewrites it with the current IP (edits do not survive, as upstream)', async (t) => {
    const dir = await tempDir(t);
    const podDir = join(dir, 'pods', 'u-1');
    const file = await writeHostsFile({ podDir, pod: pod(), podIP: '10.88.1.5', clusterDomain: 'cluster.local' });
    assert.equal(file, join(podDir, 'etc-hosts'));
    assert.match(await readFile(file, 'utf8'), /^10\.88\.1\.5\tweb$/m);
    await writeFile(file, 'edited\n');
    await writeHostsFile({ podDir, pod: pod(), podIP: '10.88.1.9', clusterDomain: 'cluster.local' });
    const text = await readFile(file, 'utf8');
    assert.match(text, /^10\.88\.1\.9\tweb$/m);
    assert.doesNotMatch(text, /edited/);
  });

  it("starts a host-network pod's file from the node's hosts file", async (t) => {
    const dir = await tempDir(t);
    await writeFile(join(dir, 'node-hosts'), '127.0.0.1\tlocalhost\n192.0.2.4\tnode-1\n');
    const file = await writeHostsFile({
      podDir: join(dir, 'pod'), pod: pod({ hostNetwork: true }), podIP: '192.0.2.4', clusterDomain: 'cluster.local', nodeHostsPath: join(dir, 'node-hosts'),
    });
    assert.equal(await readFile(file, 'utf8'), '# Kubernetes-managed hosts file (host network).\n127.0.0.1\tlocalhost\n192.0.2.4\tnode-1\n');
  });

  it('mounts it read-write at /etc/hosts, unless the container mounts a volume there itself', () => {
    assert.deepEqual(hostsFileMounts({ name: 'c' }, '/pods/u-1/etc-hosts'), [{ containerPath: ETC_HOSTS, hostPath: '/pods/u-1/etc-hosts', readOnly: false }]);
    assert.deepEqual(hostsFileMounts({ name: 'c', volumeMounts: [{ name: 'h', mountPath: '/etc/hosts/' }] }, '/pods/u-1/etc-hosts'), []);
    assert.deepEqual(hostsFileMounts({ name: 'c' }, undefined), []);
  });
});

import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { PodObject } from './object-types.js';
import { PodSyncHarness } from './pod-sync.fixture.js';
import { podDir, prepareVolumes, removeOrphanPodDirs, removePodVolumes, volumeDir } from './pod-volumes.js';
import { canMountTmpfs, isMountPoint, mountTmpfs, parseMountPoints, unmountUnder } from './tmpfs-mount.js';
import { tempDirRemovedAtExit } from '../../test/helpers/temp-dir.js';

const notRoot = canMountTmpfs() ? false : 'mounting a tmpfs needs root';

function memoryPod(uid: string, sizeLimit?: string): PodObject {
  return {
    metadata: { name: 'mem', namespace: 'default', uid },
    spec: { containers: [{ name: 'app', image: 'busybox' }], volumes: [{ name: 'scratch', emptyDir: { medium: 'Memory', ...(sizeLimit ? { sizeLimit } : {}) } }] },
  };
}

describe('tmpfs mounts', () => {
  it('reads mount points from mountinfo, with octal escapes', () => {
    const text = [
      '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw',
      '90 22 0:50 / /tmp/with\\040space rw shared:2 - tmpfs tmpfs rw,size=1024k',
      '',
    ].join('\n');
    assert.deepEqual(parseMountPoints(text), ['/', '/tmp/with space']);
  });

  it('mounts a sized tmpfs once, and unmounts everything below a directory', { skip: notRoot }, async () => {
    const base = tempDirRemovedAtExit('k8ts-tmpfs-');
    const dir = path.join(base, 'vol');
    try {
      await mountTmpfs(dir, 2 * 2 ** 20);
      await mountTmpfs(dir, 2 * 2 ** 20);
      assert.ok(await isMountPoint(dir));
      const fs = await statfs(dir);
      assert.equal(fs.blocks * fs.bsize, 2 * 2 ** 20);
      writeFileSync(path.join(dir, 'f'), 'in memory');
      const removed = await unmountUnder(base);
      assert.deepEqual(removed, [dir], 'the second mountTmpfs did not stack another mount');
      assert.equal(await isMountPoint(dir), false);
      assert.equal(existsSync(path.join(dir, 'f')), false, 'the file lived in the tmpfs');
    } finally {
      await unmountUnder(base);
    }
  });

  it('emptyDir medium Memory is a tmpfs of sizeLimit, gone when the pod is torn down', { skip: notRoot }, async () => {
    const h = new PodSyncHarness();
    const created = h.createPod('mem', {
      containers: [{ name: 'app', image: 'busybox', volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] }],
      volumes: [{ name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } }],
    });
    const uid = created.metadata?.uid ?? '';
    const dir = volumeDir(h.deps, uid, { name: 'scratch' });
    const sync = h.syncFor(created);
    try {
      const { pod } = await h.step(sync, 'mem');
      assert.ok(pod.status?.containerStatuses?.[0]?.state?.running);
      assert.ok(await isMountPoint(dir));
      const fs = await statfs(dir);
      assert.equal(fs.blocks * fs.bsize, 2 ** 20);
      const [container] = h.runtime.state.containers.values();
      assert.deepEqual(container?.config.mounts, [{ containerPath: '/scratch', hostPath: dir, readOnly: false }]);
      const outcome = await sync.sync(undefined);
      assert.equal(outcome.finished, true);
      assert.equal(await isMountPoint(dir), false);
      assert.equal(existsSync(dir), false);
    } finally {
      await unmountUnder(h.dataDir);
    }
  });

  it('removePodVolumes unmounts before it removes', { skip: notRoot }, async () => {
    const dataDir = tempDirRemovedAtExit('k8ts-tmpfs-');
    try {
      const volumes = await prepareVolumes({ pod: memoryPod('u1'), dataDir, source: { configMap: () => Promise.resolve(undefined), secret: () => Promise.resolve(undefined) }, hostIP: '10.0.0.1' });
      const dir = volumes.get('scratch') ?? '';
      assert.ok(await isMountPoint(dir));
      await removePodVolumes({ dataDir }, 'u1');
      assert.equal(await isMountPoint(dir), false);
      assert.equal(existsSync(dir), false);
    } finally {
      await unmountUnder(dataDir);
    }
  });

  it('removes the directories and tmpfs mounts of pods that are gone, and keeps live ones', { skip: notRoot }, async () => {
    const dataDir = tempDirRemovedAtExit('k8ts-tmpfs-');
    const source = { configMap: () => Promise.resolve(undefined), secret: () => Promise.resolve(undefined) };
    try {
      await prepareVolumes({ pod: memoryPod('gone'), dataDir, source, hostIP: '10.0.0.1' });
      await prepareVolumes({ pod: memoryPod('live'), dataDir, source, hostIP: '10.0.0.1' });
      assert.deepEqual(await removeOrphanPodDirs({ dataDir }, new Set(['live'])), ['gone']);
      assert.equal(existsSync(podDir(dataDir, 'gone')), false);
      assert.ok(await isMountPoint(volumeDir({ dataDir }, 'live', { name: 'scratch' })));
    } finally {
      await unmountUnder(dataDir);
    }
  });

  it('without tmpfs, falls back to a plain directory and warns', async () => {
    const dataDir = tempDirRemovedAtExit('k8ts-tmpfs-');
    const warnings: string[] = [];
    const volumes = await prepareVolumes({
      pod: memoryPod('u2'), dataDir, tmpfs: false, hostIP: '10.0.0.1',
      source: { configMap: () => Promise.resolve(undefined), secret: () => Promise.resolve(undefined) },
      warn: (reason, message) => warnings.push(`${reason}: ${message}`),
    });
    const dir = volumes.get('scratch') ?? '';
    assert.ok(existsSync(dir));
    assert.equal(await isMountPoint(dir), false);
    assert.deepEqual(warnings, ['EmptyDirMemoryFallback: emptyDir volume "scratch" with medium Memory is a directory on disk: mounting a tmpfs needs root']);
  });
});

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Volume } from 'kubernetes-types/core/v1.js';
import type { ConfigSource } from './container-env.js';
import type { PodObject } from './object-types.js';
import { podDir, prepareVolumes, removeOrphanPodDirs, removePodVolumes, volumeDir, type VolumeRoots } from './pod-volumes.js';
import { tempDirRemovedAtExit } from '../../test/helpers/temp-dir.js';

const source: ConfigSource = {
  configMap: (_ns, name) => Promise.resolve({ metadata: { name }, data: { setting: 'on' } }),
  secret: (_ns, name) => Promise.resolve({ metadata: { name }, data: { password: Buffer.from('s3cret').toString('base64') } }),
};

function pod(uid: string, volumes: Volume[]): PodObject {
  return { metadata: { name: 'p', namespace: 'default', uid }, spec: { containers: [{ name: 'app', image: 'busybox' }], volumes } };
}

const mixed = (uid: string) => pod(uid, [
  { name: 'creds', secret: { secretName: 'sec' } },
  { name: 'bundle', projected: { sources: [{ secret: { name: 'sec' } }, { configMap: { name: 'cfg' } }] } },
  { name: 'conf', configMap: { name: 'cfg' } },
  { name: 'info', downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
  { name: 'scratch', emptyDir: {} },
]);

function roots(): Required<VolumeRoots> {
  return { dataDir: tempDirRemovedAtExit('k8ts-data-'), memoryDir: tempDirRemovedAtExit('k8ts-memory-') };
}

describe('pod volume roots', () => {
  it('secret and projected volumes go to the memory root; configMap, downwardAPI and emptyDir stay in the data dir', async () => {
    const r = roots();
    const paths = await prepareVolumes({ pod: mixed('u1'), ...r, source, hostIP: '10.0.0.1' });
    const inMemory = path.join(r.memoryDir, 'pods', 'u1', 'volumes');
    const onDisk = path.join(r.dataDir, 'pods', 'u1', 'volumes');
    assert.deepEqual(Object.fromEntries(paths), {
      creds: path.join(inMemory, 'creds'), bundle: path.join(inMemory, 'bundle'),
      conf: path.join(onDisk, 'conf'), info: path.join(onDisk, 'info'), scratch: path.join(onDisk, 'scratch'),
    });
    assert.equal(readFileSync(path.join(inMemory, 'creds', 'password'), 'utf8'), 's3cret');
    assert.equal(readFileSync(path.join(inMemory, 'bundle', 'password'), 'utf8'), 's3cret');
    assert.equal(readFileSync(path.join(onDisk, 'conf', 'setting'), 'utf8'), 'on');
    assert.equal(existsSync(path.join(onDisk, 'creds')), false);
    assert.equal(existsSync(path.join(onDisk, 'bundle')), false);
    assert.equal(volumeDir(r, 'u1', { name: 'creds', secret: {} }), path.join(inMemory, 'creds'));
  });

  it('without a memory root every volume is in the data dir', async () => {
    const dataDir = tempDirRemovedAtExit('k8ts-data-');
    const paths = await prepareVolumes({ pod: mixed('u1'), dataDir, source, hostIP: '10.0.0.1' });
    for (const dir of paths.values()) assert.ok(dir.startsWith(path.join(dataDir, 'pods', 'u1', 'volumes') + path.sep), dir);
  });

  it('removePodVolumes removes the volumes in both roots', async () => {
    const r = roots();
    await prepareVolumes({ pod: mixed('u1'), ...r, source, hostIP: '10.0.0.1' });
    await removePodVolumes(r, 'u1');
    assert.equal(existsSync(path.join(podDir(r.memoryDir, 'u1'), 'volumes')), false);
    assert.equal(existsSync(path.join(podDir(r.dataDir, 'u1'), 'volumes')), false);
  });

  it('removeOrphanPodDirs finds pods gone in either root (one with only a secret volume too) and keeps live ones', async () => {
    const r = roots();
    await prepareVolumes({ pod: mixed('live'), ...r, source, hostIP: '10.0.0.1' });
    await prepareVolumes({ pod: mixed('gone'), ...r, source, hostIP: '10.0.0.1' });
    await prepareVolumes({ pod: pod('secret-only', [{ name: 'creds', secret: { secretName: 'sec' } }]), ...r, source, hostIP: '10.0.0.1' });
    assert.equal(existsSync(podDir(r.dataDir, 'secret-only')), false, 'nothing of it in the data dir');
    const removed = await removeOrphanPodDirs(r, new Set(['live']));
    assert.deepEqual(removed.sort(), ['gone', 'secret-only']);
    for (const uid of ['gone', 'secret-only']) {
      assert.equal(existsSync(podDir(r.memoryDir, uid)), false, uid);
      assert.equal(existsSync(podDir(r.dataDir, uid)), false, uid);
    }
    assert.ok(existsSync(volumeDir(r, 'live', { name: 'creds', secret: {} })));
    assert.ok(existsSync(volumeDir(r, 'live', { name: 'conf' })));
  });
});

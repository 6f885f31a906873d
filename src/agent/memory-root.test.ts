import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { chooseMemoryRoot, dataDirHash, OWNER_FILE, releaseMemoryRoot, removeAbandonedRoots, TMPFS_MAGIC } from './memory-root.js';
import { canMountTmpfs, isMountPoint, parseMountPoints, unmountUnder } from './tmpfs-mount.js';
import { tempDirRemovedAtExit } from '../../test/helpers/temp-dir.js';

const EXT4_MAGIC = 0xef53;
const notRoot = canMountTmpfs() ? false : 'mounting a tmpfs needs root';

function countMounts(dir: string): number {
  return parseMountPoints(readFileSync('/proc/self/mountinfo', 'utf8')).filter((point) => point === dir).length;
}

/** statfs over the real tree (ENOENT for a missing path), reporting `type` and recording what was asked. */
function fakeStatfs(type: number, asked: string[] = []): (dir: string) => Promise<{ type: number }> {
  return async (dir) => {
    await stat(dir);
    asked.push(dir);
    return { type };
  };
}

describe('chooseMemoryRoot', () => {
  it('as root on a tmpfs: <run>/k8ts/volumes/<hash of the data dir>, made 0700', async () => {
    const runDir = tempDirRemovedAtExit('k8ts-run-');
    const dataDir = tempDirRemovedAtExit('k8ts-data-');
    const asked: string[] = [];
    const root = await chooseMemoryRoot({ dataDir, uid: 0, env: {}, runDir, statfs: fakeStatfs(TMPFS_MAGIC, asked) });
    const want = path.join(runDir, 'k8ts', 'volumes', await dataDirHash(dataDir));
    assert.deepEqual(root, { dir: want });
    assert.equal(statSync(want).mode & 0o777, 0o700);
    assert.deepEqual(asked, [runDir], 'statfs asked of the nearest existing directory');
  });

  it('the same data dir (also through a symlink) gives the same root; another data dir another one', async () => {
    const runDir = tempDirRemovedAtExit('k8ts-run-');
    const dataDir = tempDirRemovedAtExit('k8ts-data-');
    const link = path.join(tempDirRemovedAtExit('k8ts-link-'), 'data');
    symlinkSync(dataDir, link);
    const choose = (dir: string) => chooseMemoryRoot({ dataDir: dir, uid: 0, env: {}, runDir, statfs: fakeStatfs(TMPFS_MAGIC) });
    const first = await choose(dataDir);
    assert.deepEqual(await choose(dataDir), first, 'an agent restart finds its pods\' volumes');
    assert.deepEqual(await choose(link), first);
    assert.notDeepEqual(await choose(tempDirRemovedAtExit('k8ts-data-')), first);
  });

  it('as root where the run dir is not a tmpfs: mounts one of its own there, with an owner file', async () => {
    const runDir = tempDirRemovedAtExit('k8ts-run-');
    const dataDir = tempDirRemovedAtExit('k8ts-data-');
    const mounted = new Set<string>();
    const statfs = async (dir: string) => {
      await stat(dir);
      return { type: mounted.has(dir) ? TMPFS_MAGIC : EXT4_MAGIC };
    };
    const mountTmpfs = (dir: string) => {
      assert.ok(existsSync(dir), 'the mount point exists');
      mounted.add(dir);
      return Promise.resolve();
    };
    const root = await chooseMemoryRoot({ dataDir, uid: 0, env: {}, runDir, statfs, mountTmpfs });
    const want = path.join(runDir, 'k8ts', 'volumes', await dataDirHash(dataDir));
    assert.deepEqual(root, { dir: want });
    assert.deepEqual([...mounted], [want]);
    assert.equal(readFileSync(path.join(want, OWNER_FILE), 'utf8'), realpathSync(dataDir));
  });

  it('as root where no tmpfs can be mounted: the data dir, the reason, and no mount point left on the disk', async () => {
    const runDir = tempDirRemovedAtExit('k8ts-run-');
    const failing = () => Promise.reject(new Error('mount: permission denied'));
    const root = await chooseMemoryRoot({ dataDir: '/var/lib/k8ts', uid: 0, env: {}, runDir, statfs: fakeStatfs(EXT4_MAGIC), mountTmpfs: failing });
    assert.equal(root.dir, undefined);
    assert.match(root.dir === undefined ? root.reason : '', /is not a tmpfs and a tmpfs cannot be made at .*: mount: permission denied/);
    assert.deepEqual(readdirSync(path.join(runDir, 'k8ts', 'volumes')), []);
  });

  it('as root, for real: the tmpfs is mounted once, reused by a restarted agent, and unmounted at release', { skip: notRoot }, async () => {
    const runDir = tempDirRemovedAtExit('k8ts-run-');
    const dataDir = tempDirRemovedAtExit('k8ts-data-');
    const first = await chooseMemoryRoot({ dataDir, runDir });
    assert.ok(first.dir !== undefined);
    try {
      assert.equal((await statfs(first.dir)).type, TMPFS_MAGIC);
      assert.ok(await isMountPoint(first.dir));
      assert.deepEqual(await chooseMemoryRoot({ dataDir, runDir }), first);
      assert.equal(countMounts(first.dir), 1, 'not mounted twice');
      await releaseMemoryRoot(first.dir);
      assert.equal(await isMountPoint(first.dir), false);
      assert.equal(existsSync(first.dir), false);
    } finally {
      await unmountUnder(first.dir);
    }
  });

  it('removes roots whose data dir is gone (mount and all), keeps the others', async () => {
    const volumes = path.join(tempDirRemovedAtExit('k8ts-run-'), 'k8ts', 'volumes');
    const live = tempDirRemovedAtExit('k8ts-data-');
    const make = (name: string, owner?: string) => {
      mkdirSync(path.join(volumes, name, 'pods', 'uid-1'), { recursive: true });
      if (owner !== undefined) writeFileSync(path.join(volumes, name, OWNER_FILE), owner);
    };
    make('gone', path.join(live, 'deleted-data-dir'));
    make('live', live);
    make('unowned');
    assert.deepEqual(await removeAbandonedRoots(volumes), [path.join(volumes, 'gone')]);
    assert.deepEqual(readdirSync(volumes).sort(), ['live', 'unowned']);
    assert.deepEqual(await removeAbandonedRoots(path.join(volumes, 'missing')), []);
  });

  it('without root: $XDG_RUNTIME_DIR when it is a tmpfs', async () => {
    const xdg = tempDirRemovedAtExit('k8ts-xdg-');
    const runDir = tempDirRemovedAtExit('k8ts-run-');
    const dataDir = '/home/u/.k8ts-agent';
    const root = await chooseMemoryRoot({ dataDir, uid: 1000, env: { XDG_RUNTIME_DIR: xdg }, runDir, statfs: fakeStatfs(TMPFS_MAGIC) });
    assert.deepEqual(root, { dir: path.join(xdg, 'k8ts', 'volumes', await dataDirHash(dataDir)) });
    assert.equal(existsSync(path.join(runDir, 'k8ts')), false, 'the root-only place is not used');
  });

  it('without root: the data dir when XDG_RUNTIME_DIR is unset or not a tmpfs', async () => {
    const unset = await chooseMemoryRoot({ dataDir: '/d', uid: 1000, env: {}, statfs: fakeStatfs(TMPFS_MAGIC) });
    assert.equal(unset.dir, undefined);
    assert.match(unset.dir === undefined ? unset.reason : '', /XDG_RUNTIME_DIR/);
    const xdg = tempDirRemovedAtExit('k8ts-xdg-');
    const disk = await chooseMemoryRoot({ dataDir: '/d', uid: 1000, env: { XDG_RUNTIME_DIR: xdg }, statfs: fakeStatfs(EXT4_MAGIC) });
    assert.equal(disk.dir, undefined);
    assert.equal(existsSync(path.join(xdg, 'k8ts')), false);
  });

  it('releaseMemoryRoot removes an empty root and keeps one that still holds a pod', async () => {
    const base = tempDirRemovedAtExit('k8ts-run-');
    const empty = path.join(base, 'empty');
    mkdirSync(path.join(empty, 'pods'), { recursive: true });
    await releaseMemoryRoot(empty);
    assert.equal(existsSync(empty), false);
    const busy = path.join(base, 'busy');
    mkdirSync(path.join(busy, 'pods', 'uid-1', 'volumes'), { recursive: true });
    await releaseMemoryRoot(busy);
    assert.ok(existsSync(path.join(busy, 'pods', 'uid-1', 'volumes')));
  });
});

import assert from 'node:assert/strict';
import { open, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { replaceFile, writeFiles, type VolumeFile } from './volume-files.js';

let root: string;
before(async () => { root = await mkdtemp(path.join(tmpdir(), 'k8ts-volume-files-')); });
after(async () => { await rm(root, { recursive: true, force: true }); });

async function fresh(name: string): Promise<string> {
  return path.join(root, name);
}

const f = (file: string, content: string, mode = 0o644): VolumeFile => ({ file, content, mode });

async function dataTarget(dir: string): Promise<string> {
  return readlink(path.join(dir, '..data'));
}

async function timestampDirs(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((e) => /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\./.test(e));
}

describe('writeFiles (AtomicWriter layout)', () => {
  it('writes the payload into a timestamped directory behind ..data, with key -> ..data/key links', async () => {
    const dir = await fresh('first');
    await writeFiles(dir, [f('a', 'A'), f('b', 'B')]);
    const ts = await dataTarget(dir);
    assert.match(ts, /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\..+$/);
    assert.deepEqual((await readdir(dir)).sort(), ['..data', ts, 'a', 'b'].sort());
    assert.equal(await readlink(path.join(dir, 'a')), '..data/a');
    assert.ok((await lstat(path.join(dir, 'a'))).isSymbolicLink());
    assert.ok((await lstat(path.join(dir, ts, 'a'))).isFile());
    assert.equal(await readFile(path.join(dir, 'a'), 'utf8'), 'A');
    assert.equal(await readFile(path.join(dir, 'b'), 'utf8'), 'B');
    assert.equal((await stat(path.join(dir, ts))).mode & 0o777, 0o755);
  });

  it('an update swaps ..data to a new directory and removes the old one and gone keys', async () => {
    const dir = await fresh('update');
    await writeFiles(dir, [f('a', 'A'), f('b', 'B')]);
    const before1 = await dataTarget(dir);
    const inode = (await stat(dir)).ino;
    await writeFiles(dir, [f('a', 'A2'), f('c', 'C')]);
    const after1 = await dataTarget(dir);
    assert.notEqual(after1, before1);
    assert.deepEqual((await readdir(dir)).sort(), ['..data', after1, 'a', 'c'].sort());
    assert.equal(await readFile(path.join(dir, 'a'), 'utf8'), 'A2');
    assert.equal(await readFile(path.join(dir, 'c'), 'utf8'), 'C');
    assert.equal(await lstat(path.join(dir, 'b')).catch(() => undefined), undefined);
    assert.equal((await stat(dir)).ino, inode, 'the volume directory itself (bind-mounted) stays');
  });

  it('a removed key alone is a change', async () => {
    const dir = await fresh('removed');
    await writeFiles(dir, [f('a', 'A'), f('b', 'B')]);
    const first = await dataTarget(dir);
    await writeFiles(dir, [f('a', 'A')]);
    assert.notEqual(await dataTarget(dir), first);
    assert.deepEqual(await timestampDirs(dir), [await dataTarget(dir)]);
    assert.deepEqual((await readdir(dir)).filter((e) => !e.startsWith('..')), ['a']);
  });

  it('a nested item path links its top-level directory', async () => {
    const dir = await fresh('nested');
    await writeFiles(dir, [f('sub/deep/app.conf', 'x=1\n'), f('top', 'T')]);
    assert.equal(await readlink(path.join(dir, 'sub')), '..data/sub');
    assert.equal(await readFile(path.join(dir, 'sub', 'deep', 'app.conf'), 'utf8'), 'x=1\n');
    await writeFiles(dir, [f('top', 'T')]);
    assert.equal(await lstat(path.join(dir, 'sub')).catch(() => undefined), undefined);
  });

  it('applies the mode to the real file in the timestamped directory; a mode change is a change', async () => {
    const dir = await fresh('modes');
    await writeFiles(dir, [f('secret', 's', 0o400), f('script', '#!/bin/sh', 0o755)]);
    const ts = await dataTarget(dir);
    assert.equal((await stat(path.join(dir, ts, 'secret'))).mode & 0o7777, 0o400);
    assert.equal((await stat(path.join(dir, 'script'))).mode & 0o7777, 0o755);
    await writeFiles(dir, [f('secret', 's', 0o440), f('script', '#!/bin/sh', 0o755)]);
    assert.notEqual(await dataTarget(dir), ts);
    assert.equal((await stat(path.join(dir, 'secret'))).mode & 0o7777, 0o440);
  });

  it('rewriting the same content skips the swap', async () => {
    const dir = await fresh('same');
    await writeFiles(dir, [f('a', 'A'), f('n/b', 'B')]);
    const ts = await dataTarget(dir);
    const ino = (await stat(path.join(dir, 'a'))).ino;
    await writeFiles(dir, [f('n/b', 'B'), f('a', 'A')]);
    assert.equal(await dataTarget(dir), ts);
    assert.equal((await stat(path.join(dir, 'a'))).ino, ino);
    assert.deepEqual(await timestampDirs(dir), [ts]);
  });

  it('takes over a directory of the older layout (plain files, no ..data) in place', async () => {
    const dir = await fresh('older');
    await mkdir(path.join(dir, 'old-sub'), { recursive: true });
    await writeFile(path.join(dir, 'a'), 'old');
    await writeFile(path.join(dir, 'gone'), 'x');
    await writeFile(path.join(dir, 'old-sub', 'f'), 'x');
    const inode = (await stat(dir)).ino;
    await writeFiles(dir, [f('a', 'new'), f('old-sub/g', 'G')]);
    assert.equal((await stat(dir)).ino, inode);
    assert.deepEqual((await readdir(dir)).filter((e) => !e.startsWith('..')).sort(), ['a', 'old-sub']);
    assert.equal(await readlink(path.join(dir, 'a')), '..data/a');
    assert.equal(await readFile(path.join(dir, 'a'), 'utf8'), 'new');
    assert.deepEqual(await readdir(path.join(dir, 'old-sub')), ['g']);
  });

  it('a reader holding dir/key open keeps the old content whole; readers during updates see one version', async () => {
    const dir = await fresh('readers');
    const version = (n: number): string => String(n).repeat(64 * 1024);
    await writeFiles(dir, [f('key', version(1))]);
    const held = await open(path.join(dir, 'key'));
    try {
      await writeFiles(dir, [f('key', version(2))]);
      const { buffer, bytesRead } = await held.read({ buffer: Buffer.alloc(128 * 1024), position: 0 });
      assert.equal(buffer.subarray(0, bytesRead).toString(), version(1));
    } finally {
      await held.close();
    }
    const seen = new Set<string>();
    let writing = true;
    const reader = (async () => {
      while (writing) {
        const text = await readFile(path.join(dir, 'key'), 'utf8');
        assert.ok(/^(\d)\1*$/.test(text) && text.length === 64 * 1024, 'a whole version');
        seen.add(text[0] ?? '');
      }
    })();
    for (let n = 3; n <= 9; n++) await writeFiles(dir, [f('key', version(n))]);
    writing = false;
    await reader;
    assert.equal(await readFile(path.join(dir, 'key'), 'utf8'), version(9));
    assert.ok(seen.size >= 1);
  });

  it('replaceFile rewrites one file of a ..data volume through the swap, keeping the others', async () => {
    const dir = await fresh('token');
    await writeFiles(dir, [f('token', 't1', 0o600), f('ca.crt', 'CA'), f('n/namespace', 'ns')]);
    const ts = await dataTarget(dir);
    await replaceFile(path.join(dir, 'token'), 't2', 0o600);
    assert.notEqual(await dataTarget(dir), ts);
    assert.equal(await readlink(path.join(dir, 'token')), '..data/token');
    assert.equal(await readFile(path.join(dir, 'token'), 'utf8'), 't2');
    assert.equal((await stat(path.join(dir, 'token'))).mode & 0o7777, 0o600);
    assert.equal(await readFile(path.join(dir, 'ca.crt'), 'utf8'), 'CA');
    assert.equal(await readFile(path.join(dir, 'n', 'namespace'), 'utf8'), 'ns');
    assert.deepEqual(await timestampDirs(dir), [await dataTarget(dir)]);
  });
});

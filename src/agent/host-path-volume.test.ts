import assert from 'node:assert/strict';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setUpHostPath } from './host-path-volume.js';
import { tempDirRemovedAtExit } from '../../test/helpers/temp-dir.js';

function scratch(): string {
  const dir = tempDirRemovedAtExit('k8ts-hostpath-');
  mkdirSync(path.join(dir, 'dir'));
  writeFileSync(path.join(dir, 'file'), 'x');
  return dir;
}

describe('setUpHostPath', () => {
  it('checks Directory and File with kubelet\'s messages', async () => {
    const base = scratch();
    assert.equal(await setUpHostPath({ path: path.join(base, 'dir'), type: 'Directory' }), path.join(base, 'dir'));
    assert.equal(await setUpHostPath({ path: path.join(base, 'file'), type: 'File' }), path.join(base, 'file'));
    await assert.rejects(setUpHostPath({ path: path.join(base, 'file'), type: 'Directory' }), { message: `hostPath type check failed: ${base}/file is not a directory` });
    await assert.rejects(setUpHostPath({ path: path.join(base, 'missing'), type: 'Directory' }), { message: `hostPath type check failed: ${base}/missing is not a directory` });
    await assert.rejects(setUpHostPath({ path: path.join(base, 'dir'), type: 'File' }), { message: `hostPath type check failed: ${base}/dir is not a file` });
    await assert.rejects(setUpHostPath({ path: path.join(base, 'dir'), type: 'Socket' }), { message: `hostPath type check failed: ${base}/dir is not a socket file` });
    await assert.rejects(setUpHostPath({ path: path.join(base, 'file'), type: 'CharDevice' }), { message: `hostPath type check failed: ${base}/file is not a character device` });
    await assert.rejects(setUpHostPath({ path: path.join(base, 'file'), type: 'BlockDevice' }), { message: `hostPath type check failed: ${base}/file is not a block device` });
    await assert.rejects(setUpHostPath({ path: base, type: 'Weird' }), { message: 'Weird is an invalid volume type' });
  });

  it('creates what the *OrCreate types ask for, and still checks what exists', async () => {
    const base = scratch();
    const made = path.join(base, 'a', 'b');
    await setUpHostPath({ path: made, type: 'DirectoryOrCreate' });
    assert.ok(statSync(made).isDirectory());
    assert.equal(statSync(made).mode & 0o777, 0o755 & ~process.umask());
    const file = path.join(base, 'new.txt');
    await setUpHostPath({ path: file, type: 'FileOrCreate' });
    assert.ok(statSync(file).isFile());
    await assert.rejects(setUpHostPath({ path: path.join(base, 'file'), type: 'DirectoryOrCreate' }), /is not a directory/);
    await assert.rejects(setUpHostPath({ path: path.join(base, 'dir'), type: 'FileOrCreate' }), /is not a file/);
    await assert.rejects(setUpHostPath({ path: path.join(base, 'nope', 'f'), type: 'FileOrCreate' }), { message: `open ${base}/nope/f: no such file or directory` });
  });

  it('accepts a socket and an unchecked path', async () => {
    const base = scratch();
    const sock = path.join(base, 's.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    try {
      assert.equal(await setUpHostPath({ path: sock, type: 'Socket' }), sock);
    } finally {
      server.close();
    }
    assert.equal(await setUpHostPath({ path: path.join(base, 'whatever') }), path.join(base, 'whatever'));
    assert.equal(await setUpHostPath({ path: '/dev/null', type: 'CharDevice' }), '/dev/null');
  });
});

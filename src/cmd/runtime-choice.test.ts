import assert from 'node:assert/strict';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { silentLogger } from '../lib/logger.js';
import { containerdSkipReason, startContainerdEnv } from '../../test/helpers/containerd-env.js';
import { chooseRuntime, DEFAULT_CRI_SOCKETS, probeCriSocket, type SocketProbe } from './runtime-choice.js';

const logger = silentLogger();

function fakeProbe(answering: readonly string[]): { probe: (socket: string) => Promise<SocketProbe>; tried: string[] } {
  const tried: string[] = [];
  return {
    tried,
    probe: (socket) => {
      tried.push(socket);
      return Promise.resolve(answering.includes(socket) ? { ok: true, runtimeVersion: 'containerd 1.6' } : { ok: false, reason: 'no such socket' });
    },
  };
}

describe('runtime choice', () => {
  it('process and fake are taken as given, without dialling anything', async () => {
    const { probe, tried } = fakeProbe(DEFAULT_CRI_SOCKETS);
    assert.deepEqual(await chooseRuntime({ runtime: 'process' }, logger, probe), { kind: 'process' });
    assert.deepEqual(await chooseRuntime({ runtime: 'fake' }, logger, probe), { kind: 'fake' });
    assert.deepEqual(tried, []);
  });

  it('auto: the first default socket that answers, else the process runtime', async () => {
    const second = fakeProbe([DEFAULT_CRI_SOCKETS[1]]);
    assert.deepEqual(await chooseRuntime({ runtime: 'auto' }, logger, second.probe), { kind: 'containerd', socket: DEFAULT_CRI_SOCKETS[1], runtimeVersion: 'containerd 1.6' });
    assert.deepEqual(second.tried, [...DEFAULT_CRI_SOCKETS]);
    const none = fakeProbe([]);
    assert.deepEqual(await chooseRuntime({ runtime: 'auto' }, logger, none.probe), { kind: 'process' });
  });

  it('--cri-socket replaces the defaults', async () => {
    const only = fakeProbe([DEFAULT_CRI_SOCKETS[0]]);
    assert.deepEqual(await chooseRuntime({ runtime: 'auto', criSocket: '/x/c.sock' }, logger, only.probe), { kind: 'process' });
    assert.deepEqual(only.tried, ['/x/c.sock']);
  });

  it('--runtime containerd without an answering socket is an error naming the sockets and the setup script', async () => {
    await assert.rejects(chooseRuntime({ runtime: 'containerd', criSocket: '/x/c.sock' }, logger, fakeProbe([]).probe), (error: unknown) => {
      assert.equal((error as Error).name, 'StartupError');
      assert.match((error as Error).message, /\/x\/c\.sock \(no such socket\)/);
      assert.match((error as Error).message, /scripts\/setup-node\.sh/);
      return true;
    });
  });

  it('probeCriSocket: a missing path, a plain file and a socket that is not CRI all fail', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-probe-'));
    const server = createServer((connection) => connection.end('not http2'));
    try {
      assert.deepEqual(await probeCriSocket(join(dir, 'none.sock')), { ok: false, reason: 'no such socket' });
      await writeFile(join(dir, 'file'), '');
      assert.deepEqual(await probeCriSocket(join(dir, 'file')), { ok: false, reason: 'not a socket' });
      const path = join(dir, 'junk.sock');
      await new Promise<void>((resolve) => server.listen(path, resolve));
      assert.equal((await probeCriSocket(path, 500)).ok, false);
    } finally {
      server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('probeCriSocket: a real containerd answers', { skip: containerdSkipReason() }, async () => {
    const env = await startContainerdEnv();
    try {
      const result = await probeCriSocket(env.socket);
      assert.ok(result.ok);
      assert.match(result.runtimeVersion, /^containerd .* \(CRI v1\)$/);
    } finally {
      await env.stop();
    }
  });
});

// Projected volumes through prepareVolumes (real files in a temp dir), with a fake ConfigSource and
// a fake TokenRequest client; token refresh with a fake clock.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TokenRequestSpec } from 'kubernetes-types/authentication/v1.js';
import type { Volume } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../lib/clock.js';
import type { ConfigSource } from './container-env.js';
import type { ConfigMapObject, PodObject, SecretObject } from './object-types.js';
import { prepareVolumes, VolumeError, volumeDir } from './pod-volumes.js';
import { PodTokenFiles, refreshAt, type IssuedToken } from './service-account-token.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

function podWith(volumes: Volume[]): PodObject {
  return {
    metadata: { name: 'web', namespace: 'team', uid: 'uid-1' },
    spec: { serviceAccountName: 'robot', containers: [{ name: 'c' }], volumes },
  };
}

/** The three sources the admission step adds, as upstream writes them. */
const API_ACCESS: Volume = {
  name: 'kube-api-access-abcde',
  projected: {
    defaultMode: 0o644,
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  },
};

class FakeApi {
  readonly configMaps = new Map<string, ConfigMapObject>();
  readonly secrets = new Map<string, SecretObject>();
  readonly requests: { namespace: string; account: string; spec: TokenRequestSpec }[] = [];
  fail: string | undefined;
  readonly clock: FakeClock;
  constructor(clock: FakeClock) {
    this.clock = clock;
  }
  readonly source: ConfigSource = {
    configMap: (namespace, name) => Promise.resolve(this.configMaps.get(`${namespace}/${name}`)),
    secret: (namespace, name) => Promise.resolve(this.secrets.get(`${namespace}/${name}`)),
    serviceAccountToken: (namespace, account, spec): Promise<IssuedToken> => {
      if (this.fail) return Promise.reject(new Error(this.fail));
      this.requests.push({ namespace, account, spec });
      const expires = new Date(this.clock.now().getTime() + (spec.expirationSeconds ?? 3600) * 1000);
      return Promise.resolve({ token: `token-${this.requests.length}`, expirationTimestamp: expires.toISOString().replace(/\.\d{3}Z$/, 'Z') });
    },
  };
}

describe('projected volumes', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'k8ts-projected-'));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  function setup() {
    const clock = new FakeClock();
    const api = new FakeApi(clock);
    api.configMaps.set('team/kube-root-ca.crt', { metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': 'CA PEM' } });
    const tokens = new PodTokenFiles({ clock, request: api.source.serviceAccountToken!, jitterMs: () => 0 });
    const prepare = (pod: PodObject) => prepareVolumes({ pod, dataDir, source: api.source, hostIP: '10.0.0.1', tokens });
    return { clock, api, tokens, prepare };
  }
  const fileOf = (volume: string, file: string) => path.join(volumeDir({ dataDir }, 'uid-1', { name: volume, projected: {} }), file);
  const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

  it('writes token, ca.crt and namespace; the token is bound to the pod with the source settings', async () => {
    const t = setup();
    const pod = podWith([API_ACCESS]);
    const paths = await t.prepare(pod);
    assert.equal(paths.get('kube-api-access-abcde'), volumeDir({ dataDir }, 'uid-1', { name: 'kube-api-access-abcde', projected: {} }));
    assert.equal(await readFile(fileOf('kube-api-access-abcde', 'token'), 'utf8'), 'token-1');
    assert.equal(await readFile(fileOf('kube-api-access-abcde', 'ca.crt'), 'utf8'), 'CA PEM');
    assert.equal(await readFile(fileOf('kube-api-access-abcde', 'namespace'), 'utf8'), 'team');
    assert.equal(await modeOf(fileOf('kube-api-access-abcde', 'token')), 0o644);
    assert.deepEqual(t.api.requests, [{
      namespace: 'team', account: 'robot',
      spec: { audiences: [], expirationSeconds: 3607, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'web', uid: 'uid-1' } },
    }]);
  });

  it('secret and configMap sources: items, modes, defaultMode, and a custom audience', async () => {
    const t = setup();
    t.api.secrets.set('team/creds', { metadata: { name: 'creds' }, data: { user: b64('admin'), pass: b64('s3cret') } });
    t.api.configMaps.set('team/settings', { metadata: { name: 'settings' }, data: { a: 'A', b: 'B' } });
    await t.prepare(podWith([{
      name: 'all',
      projected: {
        defaultMode: 0o600,
        sources: [
          { secret: { name: 'creds', items: [{ key: 'pass', path: 'db/password', mode: 0o400 }] } },
          { configMap: { name: 'settings' } },
          { serviceAccountToken: { audience: 'vault', expirationSeconds: 600, path: 'vault-token' } },
          { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.name' }, mode: 0o444 }] } },
        ],
      },
    }]));
    assert.equal(await readFile(fileOf('all', 'db/password'), 'utf8'), 's3cret');
    assert.equal(await modeOf(fileOf('all', 'db/password')), 0o400);
    assert.equal(await readFile(fileOf('all', 'a'), 'utf8'), 'A');
    assert.equal(await modeOf(fileOf('all', 'b')), 0o600);
    assert.equal(await modeOf(fileOf('all', 'vault-token')), 0o600);
    assert.equal(await modeOf(fileOf('all', 'labels')), 0o444);
    assert.deepEqual(t.api.requests[0]?.spec.audiences, ['vault']);
    assert.equal(t.api.requests[0]?.spec.expirationSeconds, 600);
    await assert.rejects(stat(fileOf('all', 'user')), /ENOENT/);
  });

  it('a missing source fails the volume with every problem; optional ones are skipped', async () => {
    const t = setup();
    const missing = podWith([{ name: 'broken', projected: { sources: [{ secret: { name: 'nope' } }, { configMap: { name: 'gone' } }] } }]);
    await assert.rejects(t.prepare(missing), (error: unknown) => {
      assert.ok(error instanceof VolumeError);
      assert.equal(error.message, 'MountVolume.SetUp failed for volume "broken" : [secret "nope" not found, configmap "gone" not found]');
      return true;
    });
    const oneKey = podWith([{ name: 'key', projected: { sources: [{ configMap: { name: 'kube-root-ca.crt', items: [{ key: 'nokey', path: 'x' }] } }] } }]);
    await assert.rejects(t.prepare(oneKey), /volume "key" : configmap references non-existent config key: nokey$/);
    await t.prepare(podWith([{
      name: 'optional',
      projected: { sources: [{ secret: { name: 'nope', optional: true } }, { configMap: { name: 'kube-root-ca.crt', optional: true, items: [{ key: 'nokey', path: 'x' }] } }] },
    }]));
  });

  it('a failed TokenRequest is a FailedMount message with upstream wording', async () => {
    const t = setup();
    t.api.fail = 'serviceaccounts "robot" not found';
    await assert.rejects(t.prepare(podWith([API_ACCESS])),
      /^VolumeError: MountVolume.SetUp failed for volume "kube-api-access-abcde" : failed to fetch token: serviceaccounts "robot" not found$/);
  });

  it('refreshes the token in place at 80% of its life, not before; a failure keeps the old file', async () => {
    const t = setup();
    const pod = podWith([API_ACCESS]);
    await t.prepare(pod);
    const issued = t.clock.now().getTime();
    // 3607 s: 20% is 721 s, so due 2886 s after issue.
    assert.equal(t.tokens.nextRefreshAt(), issued + 2886_000);
    t.clock.advance(2885_000);
    assert.deepEqual(await t.tokens.refreshDue(pod), []);
    assert.equal(t.api.requests.length, 1);
    t.clock.advance(1000);
    t.api.fail = 'connection refused';
    assert.deepEqual(await t.tokens.refreshDue(pod), [{ volume: 'kube-api-access-abcde', message: 'failed to fetch token: connection refused' }]);
    assert.equal(await readFile(fileOf('kube-api-access-abcde', 'token'), 'utf8'), 'token-1');
    // Not straight back (the pod's next sync is the earliest refresh): 30 s later.
    assert.equal(t.tokens.nextRefreshAt(), t.clock.now().getTime() + 30_000);
    t.api.fail = undefined;
    assert.deepEqual(await t.tokens.refreshDue(pod), []);
    assert.equal(t.api.requests.length, 1, 'nothing asked before the retry is due (the failed one is not counted)');
    t.clock.advance(30_000);
    assert.deepEqual(await t.tokens.refreshDue(pod), []);
    assert.equal(await readFile(fileOf('kube-api-access-abcde', 'token'), 'utf8'), 'token-2');
    assert.equal(await modeOf(fileOf('kube-api-access-abcde', 'token')), 0o644);
    assert.equal(t.tokens.nextRefreshAt(), t.clock.now().getTime() + 2886_000);
  });

  it('set up again (an agent restart), updates the directory in place: same inode, new files, stale ones gone', async () => {
    const t = setup();
    t.api.configMaps.set('team/settings', { metadata: { name: 'settings' }, data: { a: 'A', old: 'gone soon' } });
    const pod = podWith([{ name: 'again', projected: { sources: [{ configMap: { name: 'settings' } }, { serviceAccountToken: { path: 'token' } }] } }]);
    await t.prepare(pod);
    const dir = volumeDir({ dataDir }, 'uid-1', { name: 'again', projected: {} });
    const inode = (await stat(dir)).ino;
    t.api.configMaps.set('team/settings', { metadata: { name: 'settings' }, data: { a: 'A2' } });
    await t.prepare(pod);
    assert.equal((await stat(dir)).ino, inode, 'a bind mount of the directory keeps seeing it');
    assert.equal(await readFile(fileOf('again', 'a'), 'utf8'), 'A2');
    assert.equal(await readFile(fileOf('again', 'token'), 'utf8'), 'token-2');
    await assert.rejects(stat(fileOf('again', 'old')), /ENOENT/);
  });

  it('refresh is due at the earlier of 80% of the TTL and 24 h, less the jitter', () => {
    const day = 24 * 3600;
    assert.equal(refreshAt(3607_000, 3607, 0), 2886_000);
    assert.equal(refreshAt(3607_000, 3607, 10_000), 2876_000);
    // A week-long token is refreshed after a day.
    assert.equal(refreshAt(7 * day * 1000, 7 * day, 0), day * 1000);
  });
});

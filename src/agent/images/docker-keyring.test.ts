import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SecretObject } from '../object-types.js';
import { DockerKeyring, InvalidPullSecretError, dockerConfigOf } from './docker-keyring.js';

function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}

function jsonSecret(name: string, auths: Record<string, unknown>): SecretObject {
  return { metadata: { name }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(JSON.stringify({ auths })) } };
}

function keyring(...secrets: SecretObject[]): DockerKeyring {
  const ring = new DockerKeyring();
  for (const s of secrets) {
    const config = dockerConfigOf(s);
    if (config) ring.add(config);
  }
  return ring;
}

describe('dockerConfigOf', () => {
  it('reads dockerconfigjson auths, with auth overriding username/password', () => {
    const config = dockerConfigOf(jsonSecret('reg', {
      'r.example.com': { username: 'u', password: 'p' },
      'other.example.com': { username: 'ignored', auth: b64('alice:s3:cret') },
    }));
    assert.deepEqual(config?.get('r.example.com'), { username: 'u', password: 'p' });
    assert.deepEqual(config?.get('other.example.com'), { username: 'alice', password: 's3:cret', auth: b64('alice:s3:cret') });
  });

  it('reads the legacy dockercfg (no auths wrapper) and skips other secret types', () => {
    const cfg: SecretObject = { metadata: { name: 'old' }, type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64(JSON.stringify({ 'r.example.com': { auth: b64('bob:pw') } })) } };
    assert.deepEqual(dockerConfigOf(cfg)?.get('r.example.com'), { username: 'bob', password: 'pw', auth: b64('bob:pw') });
    assert.equal(dockerConfigOf({ metadata: { name: 'opaque' }, type: 'Opaque', data: { '.dockerconfigjson': b64('{}') } }), undefined);
  });

  it('throws a typed error on JSON that is not a docker config', () => {
    const bad: SecretObject = { metadata: { name: 'bad' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{nope') } };
    assert.throws(() => dockerConfigOf(bad), InvalidPullSecretError);
  });
});

describe('DockerKeyring.lookup', () => {
  it('matches the registry host and port of the image', () => {
    const ring = keyring(jsonSecret('s', {
      '127.0.0.1:5000': { username: 'local', password: 'a' },
      'r.example.com': { username: 'remote', password: 'b' },
    }));
    assert.deepEqual(ring.lookup('127.0.0.1:5000/k8ts/httpd:1').map((a) => a.username), ['local']);
    assert.equal(ring.lookup('127.0.0.1:5000/k8ts/httpd:1')[0]?.serverAddress, '127.0.0.1:5000');
    assert.deepEqual(ring.lookup('127.0.0.1:5001/k8ts/httpd').map((a) => a.username), []);
    assert.deepEqual(ring.lookup('r.example.com/app').map((a) => a.username), ['remote']);
    assert.deepEqual(ring.lookup('busybox').map((a) => a.username), []);
  });

  it('treats every Docker Hub name as the registry of bare image names', () => {
    for (const key of ['https://index.docker.io/v1/', 'docker.io', 'registry-1.docker.io', 'index.docker.io']) {
      const ring = keyring(jsonSecret('hub', { [key]: { username: 'hub', password: 'x' } }));
      assert.deepEqual(ring.lookup('busybox').map((a) => a.username), ['hub'], key);
      assert.deepEqual(ring.lookup('me/app:1').map((a) => a.username), ['hub'], key);
      assert.deepEqual(ring.lookup('r.example.com/app').map((a) => a.username), [], key);
    }
  });

  it('matches host globs and path prefixes, most specific key first, across secrets', () => {
    const ring = keyring(
      jsonSecret('a', { '*.example.com': { username: 'glob', password: 'x' }, 'r.example.com/team': { username: 'team', password: 'x' } }),
      jsonSecret('b', { 'r.example.com': { username: 'host', password: 'x' } }),
    );
    assert.deepEqual(ring.lookup('r.example.com/team/app').map((a) => a.username), ['team', 'host', 'glob']);
    assert.deepEqual(ring.lookup('r.example.com/other/app').map((a) => a.username), ['host', 'glob']);
    assert.deepEqual(ring.lookup('q.example.com/x').map((a) => a.username), ['glob']);
    assert.deepEqual(ring.lookup('example.com/x').map((a) => a.username), [], 'a glob part does not match zero parts');
  });
});

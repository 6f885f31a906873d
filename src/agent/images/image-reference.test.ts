import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDockerHub, parseImageReference, repositoryName } from './image-reference.js';

describe('parseImageReference', () => {
  it('normalizes Docker Hub names like the docker reference library', () => {
    assert.deepEqual(parseImageReference('busybox'), { domain: 'docker.io', path: 'library/busybox' });
    assert.deepEqual(parseImageReference('busybox:1.36'), { domain: 'docker.io', path: 'library/busybox', tag: '1.36' });
    assert.deepEqual(parseImageReference('me/app'), { domain: 'docker.io', path: 'me/app' });
    assert.equal(repositoryName(parseImageReference('index.docker.io/library/nginx:latest') ?? { domain: '', path: '' }), 'docker.io/library/nginx');
    assert.equal(repositoryName(parseImageReference('docker.io/nginx') ?? { domain: '', path: '' }), 'docker.io/library/nginx');
  });

  it('takes the first component as the registry when it has a dot, a port, or is localhost', () => {
    assert.deepEqual(parseImageReference('127.0.0.1:5000/k8ts/httpd:1'), { domain: '127.0.0.1:5000', path: 'k8ts/httpd', tag: '1' });
    assert.deepEqual(parseImageReference('localhost/app'), { domain: 'localhost', path: 'app' });
    assert.deepEqual(parseImageReference('ghcr.io/org/tool'), { domain: 'ghcr.io', path: 'org/tool' });
    assert.deepEqual(parseImageReference('team/sub/app'), { domain: 'docker.io', path: 'team/sub/app' });
    const digest = `sha256:${'a'.repeat(64)}`;
    assert.deepEqual(parseImageReference(`quay.io/x/y@${digest}`), { domain: 'quay.io', path: 'x/y', digest });
  });

  it('rejects what is not a reference', () => {
    for (const bad of ['', 'Busybox', 'busy box', 'app:', 'app@sha256:xyz', 'a//b', ':tag', '-app']) {
      assert.equal(parseImageReference(bad), undefined, bad);
    }
  });

  it('knows the names of Docker Hub', () => {
    assert.ok(isDockerHub('registry-1.docker.io'));
    assert.ok(isDockerHub('index.docker.io'));
    assert.ok(!isDockerHub('docker.example.com'));
  });
});

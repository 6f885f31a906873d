import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAttachUrl } from './attach-route.js';

const url = (path: string): URL => new URL(path, 'http://agent.invalid');

test('parses /attach URLs (kubelet form with the uid too); other paths are not ours', () => {
  assert.deepEqual(parseAttachUrl(url('/attach/default/web/main?stdout=true&stderr=true')), {
    namespace: 'default', pod: 'web', container: 'main', stdout: true, stderr: true,
  });
  assert.deepEqual(parseAttachUrl(url('/attach/default/web/uid-1/main?stdout=1')), {
    namespace: 'default', pod: 'web', container: 'main', stdout: true, stderr: false,
  });
  assert.equal(parseAttachUrl(url('/exec/default/web/main?stdout=true')), undefined);
  assert.equal(parseAttachUrl(url('/attach/default/web')), undefined);
});

test('refuses stdin with what to use instead, and a request for no stream at all', () => {
  assert.equal(
    parseAttachUrl(url('/attach/default/web/main?stdin=true&stdout=true&tty=true')),
    'k8ts attaches to a container\'s output only, not to its stdin: use "kubectl attach web" without -i/-t, or "kubectl exec -it web -- sh" for a shell',
  );
  assert.equal(parseAttachUrl(url('/attach/default/web/main')), 'you must specify at least 1 of stdin, stdout, stderr');
});

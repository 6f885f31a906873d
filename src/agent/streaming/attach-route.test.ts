import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAttachUrl } from './attach-route.js';

const url = (path: string): URL => new URL(path, 'http://agent.invalid');

test('parses /attach URLs (kubelet form with the uid too); other paths are not ours', () => {
  assert.deepEqual(parseAttachUrl(url('/attach/default/web/main?stdout=true&stderr=true')), {
    namespace: 'default', pod: 'web', container: 'main', stdin: false, stdout: true, stderr: true, tty: false,
  });
  assert.deepEqual(parseAttachUrl(url('/attach/default/web/uid-1/main?stdout=1')), {
    namespace: 'default', pod: 'web', container: 'main', stdin: false, stdout: true, stderr: false, tty: false,
  });
  assert.equal(parseAttachUrl(url('/exec/default/web/main?stdout=true')), undefined);
  assert.equal(parseAttachUrl(url('/attach/default/web')), undefined);
});

test('stdin (kubectl attach -i, run -i) is accepted; a TTY has no stderr; a request for no stream at all is refused', () => {
  assert.deepEqual(parseAttachUrl(url('/attach/default/web/main?stdin=true&stdout=true&stderr=true&tty=true')), {
    namespace: 'default', pod: 'web', container: 'main', stdin: true, stdout: true, stderr: false, tty: true,
  });
  assert.deepEqual(parseAttachUrl(url('/attach/default/web/main?stdin=true')), {
    namespace: 'default', pod: 'web', container: 'main', stdin: true, stdout: false, stderr: false, tty: false,
  });
  assert.equal(parseAttachUrl(url('/attach/default/web/main')), 'you must specify at least 1 of stdin, stdout, stderr');
});

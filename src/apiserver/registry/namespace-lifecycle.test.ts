import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KindInfo } from '../../api/kind-info.js';
import { statusFromError } from '../status.js';
import { namespaceLifecycleHooks } from './namespace-lifecycle.js';

const kind = (group: string, resource: string) => ({ group, resource }) as KindInfo;

describe('namespace lifecycle', () => {
  it('refuses to delete default, kube-system and kube-public with 403, as upstream', () => {
    const hooks = namespaceLifecycleHooks(kind('', 'namespaces'));
    assert.ok(hooks);
    for (const name of ['default', 'kube-system', 'kube-public']) {
      let thrown: unknown;
      try {
        hooks.beginDelete?.(name);
      } catch (error) {
        thrown = error;
      }
      const { code, status } = statusFromError(thrown);
      assert.equal(code, 403, name);
      assert.equal(status['message'], `namespaces "${name}" is forbidden: this namespace may not be deleted`);
    }
    assert.doesNotThrow(() => hooks.beginDelete?.('team-a'));
    assert.doesNotThrow(() => hooks.beginDelete?.('kube-node-lease'));
  });

  it('has no hooks for other kinds', () => {
    assert.equal(namespaceLifecycleHooks(kind('', 'pods')), undefined);
    assert.equal(namespaceLifecycleHooks(kind('apps', 'namespaces')), undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import { ApiRegistry } from './api-registry.js';
import { ForbiddenError, ResourceNotFoundError } from './api-errors.js';
import { deploymentStrategy, FakeClock, namespaceStrategy, pod, podStrategy, WRITE } from './registry-fixtures.test.js';

describe('ApiRegistry', () => {
  it('looks resources up by group/version/resource', () => {
    const registry = new ApiRegistry({ store: new MemoryStore(), kinds: [deploymentStrategy, podStrategy], clock: new FakeClock() });
    assert.equal(registry.lookup('apps', 'v1', 'deployments')?.strategy, deploymentStrategy);
    assert.equal(registry.lookup('', 'v1', 'pods')?.strategy, podStrategy);
    assert.equal(registry.lookup('', 'v1', 'deployments'), undefined);
    assert.equal(registry.resources.length, 2);
    registry.close();
  });

  it('wires namespace lifecycle: missing -> NotFound, terminating -> Forbidden', async () => {
    const registry = new ApiRegistry({ store: new MemoryStore(), kinds: [namespaceStrategy, podStrategy], clock: new FakeClock() });
    const pods = registry.lookup('', 'v1', 'pods');
    const namespaces = registry.lookup('', 'v1', 'namespaces');
    assert.ok(pods && namespaces);
    await assert.rejects(pods.create('default', pod('p'), WRITE), ResourceNotFoundError);
    await namespaces.create(undefined, { metadata: { name: 'default' } }, WRITE);
    assert.equal((await pods.create('default', pod('p'), WRITE)).created, true);
    await namespaces.delete(undefined, 'default', { dryRun: false });
    await assert.rejects(pods.create('default', pod('q'), WRITE), ForbiddenError);
    registry.close();
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseApiPath } from './parse-api-path.js';

describe('parseApiPath', () => {
  it('recognises discovery paths', () => {
    assert.deepEqual(parseApiPath('/api'), { type: 'discovery-root', root: 'api' });
    assert.deepEqual(parseApiPath('/apis/'), { type: 'discovery-root', root: 'apis' });
    assert.deepEqual(parseApiPath('/apis/apps'), { type: 'group', group: 'apps' });
    assert.deepEqual(parseApiPath('/api/v1'), { type: 'group-version', group: '', version: 'v1' });
    assert.deepEqual(parseApiPath('/apis/apps/v1'), { type: 'group-version', group: 'apps', version: 'v1' });
  });

  it('parses namespaced and cluster-scoped collections, items and subresources', () => {
    const base = { type: 'resource', group: 'apps', version: 'v1' };
    assert.deepEqual(parseApiPath('/apis/apps/v1/namespaces/default/deployments'), { ...base, resource: 'deployments', namespace: 'default' });
    assert.deepEqual(parseApiPath('/apis/apps/v1/namespaces/default/deployments/web/scale'), {
      ...base, resource: 'deployments', namespace: 'default', name: 'web', subresource: 'scale',
    });
    assert.deepEqual(parseApiPath('/apis/apps/v1/deployments'), { ...base, resource: 'deployments' });
    assert.deepEqual(parseApiPath('/api/v1/nodes/n1/status'), { type: 'resource', group: '', version: 'v1', resource: 'nodes', name: 'n1', subresource: 'status' });
  });

  it('treats namespaces/<ns> as the namespace and namespaces/<ns>/status|finalize as its subresources', () => {
    const core = { type: 'resource', group: '', version: 'v1' };
    assert.deepEqual(parseApiPath('/api/v1/namespaces'), { ...core, resource: 'namespaces' });
    assert.deepEqual(parseApiPath('/api/v1/namespaces/kube-system'), { ...core, resource: 'namespaces', name: 'kube-system' });
    assert.deepEqual(parseApiPath('/api/v1/namespaces/kube-system/status'), { ...core, resource: 'namespaces', name: 'kube-system', subresource: 'status' });
    assert.deepEqual(parseApiPath('/api/v1/namespaces/kube-system/finalize'), { ...core, resource: 'namespaces', name: 'kube-system', subresource: 'finalize' });
    assert.deepEqual(parseApiPath('/api/v1/namespaces/kube-system/pods'), { ...core, resource: 'pods', namespace: 'kube-system' });
  });

  it('decodes escaped segments and rejects malformed or unknown paths', () => {
    assert.deepEqual(parseApiPath('/api/v1/namespaces/default/configmaps/a%3Ab'), {
      type: 'resource', group: '', version: 'v1', resource: 'configmaps', namespace: 'default', name: 'a:b',
    });
    assert.equal(parseApiPath('/'), undefined);
    assert.equal(parseApiPath('/foo/v1'), undefined);
    assert.equal(parseApiPath('/api/v1/namespaces/default/pods/p/log/extra'), undefined);
    assert.equal(parseApiPath('/api/v1//pods'), undefined);
    assert.equal(parseApiPath('/api/v1/pods/%E0%A4%A'), undefined);
  });
});

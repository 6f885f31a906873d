import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { negotiateDiscoveryShape, negotiateResponseShape, parseAccept } from './negotiate-media-type.js';

describe('content negotiation', () => {
  it('parses media ranges with parameters', () => {
    assert.deepEqual(parseAccept('application/json;as=Table;v=v1;g=meta.k8s.io, */*'), [
      { type: 'application/json', params: { as: 'Table', v: 'v1', g: 'meta.k8s.io' } },
      { type: '*/*', params: {} },
    ]);
    assert.deepEqual(parseAccept(undefined), [{ type: '*/*', params: {} }]);
  });

  it('picks Table when kubectl get asks for it first, the object otherwise', () => {
    assert.deepEqual(
      negotiateResponseShape('application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json'),
      { as: 'table', version: 'v1' },
    );
    assert.deepEqual(negotiateResponseShape('application/json;as=Table;v=v1beta1;g=meta.k8s.io'), { as: 'table', version: 'v1beta1' });
    assert.deepEqual(negotiateResponseShape('application/json'), { as: 'object' });
    assert.deepEqual(negotiateResponseShape('application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json'), { as: 'object' });
    assert.deepEqual(negotiateResponseShape('application/vnd.kubernetes.protobuf'), { as: 'object' });
    assert.equal(negotiateResponseShape('text/html'), undefined);
  });

  it('chooses aggregated discovery only when asked', () => {
    const kubectl = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    assert.equal(negotiateDiscoveryShape(kubectl), 'v2');
    assert.equal(negotiateDiscoveryShape('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList'), 'v2beta1');
    assert.equal(negotiateDiscoveryShape('application/json, */*'), 'legacy');
    assert.equal(negotiateDiscoveryShape('application/json,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'), 'legacy');
  });
});

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
    assert.deepEqual(negotiateResponseShape('application/json;as=Foo;v=v1;g=meta.k8s.io,application/json'), { as: 'object' });
    assert.deepEqual(negotiateResponseShape('application/vnd.kubernetes.protobuf'), { as: 'object' });
    assert.equal(negotiateResponseShape('text/html'), undefined);
  });

  it('picks PartialObjectMetadata(List) in v1 and v1beta1, in any served media type', () => {
    const metadataClient = 'application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
    assert.deepEqual(negotiateResponseShape(metadataClient), { as: 'metadata', version: 'v1', list: true });
    assert.deepEqual(negotiateResponseShape('application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1beta1'), { as: 'metadata', version: 'v1beta1', list: false });
    // Another group or version is not served: the next range, or nothing (406).
    assert.deepEqual(negotiateResponseShape('application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v2,application/json'), { as: 'object' });
    assert.equal(negotiateResponseShape('application/json;as=PartialObjectMetadata;g=example.com;v=v1'), undefined);
    assert.equal(negotiateResponseShape('application/json;as=Foo;g=meta.k8s.io;v=v1'), undefined);
    assert.equal(negotiateResponseShape('text/html;as=PartialObjectMetadata;g=meta.k8s.io;v=v1'), undefined);
  });

  it('chooses aggregated discovery only when asked', () => {
    const kubectl = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    assert.equal(negotiateDiscoveryShape(kubectl), 'v2');
    assert.equal(negotiateDiscoveryShape('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList'), 'v2beta1');
    assert.equal(negotiateDiscoveryShape('application/json, */*'), 'legacy');
    assert.equal(negotiateDiscoveryShape('application/json,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'), 'legacy');
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makePod, nodeInfoWith } from '../testing/fixtures.js';
import { NodeNameFilter } from './node-name.js';

describe('NodeName filter', () => {
  it('accepts only the named node', () => {
    const pod = makePod('p', { spec: { nodeName: 'n2' } });
    assert.deepEqual(new NodeNameFilter().filter(pod, nodeInfoWith(makeNode('n1'))).reasons, ["node(s) didn't match the requested node name"]);
    assert.equal(new NodeNameFilter().filter(pod, nodeInfoWith(makeNode('n2'))).code, 'Success');
  });
});

describe('NodeName preFilter', () => {
  it('skips the check for pods that name no node', () => {
    assert.equal(new NodeNameFilter().preFilter(makePod('p')), 'skip');
    assert.equal(new NodeNameFilter().preFilter(makePod('p', { spec: { nodeName: 'n' } })), undefined);
  });
});

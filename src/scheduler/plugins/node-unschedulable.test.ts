import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makePod, nodeInfoWith } from '../testing/fixtures.js';
import { NodeUnschedulableFilter } from './node-unschedulable.js';

describe('NodeUnschedulable filter', () => {
  it('rejects cordoned nodes unless the pod tolerates the unschedulable taint', () => {
    const node = nodeInfoWith(makeNode('n', { unschedulable: true }));
    const result = new NodeUnschedulableFilter().filter(makePod('p'), node);
    assert.equal(result.code, 'UnschedulableAndUnresolvable');
    assert.deepEqual(result.reasons, ['node(s) were unschedulable']);
    const tolerant = makePod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } });
    assert.equal(new NodeUnschedulableFilter().filter(tolerant, node).code, 'Success');
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CycleState } from '../framework/cycle-state.js';
import { makeNode, makePod, nodeInfoWith } from '../testing/fixtures.js';
import { TaintTolerationFilter, TaintTolerationScore } from './taint-toleration.js';

describe('TaintToleration', () => {
  it('rejects untolerated NoSchedule/NoExecute taints with the taint in the reason', () => {
    const node = nodeInfoWith(makeNode('n', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }));
    assert.deepEqual(new TaintTolerationFilter().filter(makePod('p'), node).reasons, [
      'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }',
    ]);
    const notReady = nodeInfoWith(makeNode('n', { taints: [{ key: 'node.kubernetes.io/not-ready', value: 'x', effect: 'NoExecute' }] }));
    assert.deepEqual(new TaintTolerationFilter().filter(makePod('p'), notReady).reasons, ['node(s) had untolerated taint {node.kubernetes.io/not-ready: x}']);
  });

  it('ignores PreferNoSchedule in the filter and prefers nodes with fewer of them in the score', () => {
    const soft = nodeInfoWith(makeNode('soft', { taints: [{ key: 'a', effect: 'PreferNoSchedule' }, { key: 'b', effect: 'PreferNoSchedule' }] }));
    const one = nodeInfoWith(makeNode('one', { taints: [{ key: 'a', effect: 'PreferNoSchedule' }] }));
    const clean = nodeInfoWith(makeNode('clean'));
    const pod = makePod('p');
    assert.equal(new TaintTolerationFilter().filter(pod, soft).code, 'Success');
    const plugin = new TaintTolerationScore();
    const state = new CycleState();
    plugin.preScore(pod, [], undefined, state);
    const scores = [soft, one, clean].map((n) => plugin.score(pod, n, state));
    assert.deepEqual(scores, [2, 1, 0]);
    plugin.normalize(pod, scores);
    assert.deepEqual(scores, [0, 50, 100]);
  });
});

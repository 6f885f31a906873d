import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CycleState } from '../framework/cycle-state.js';
import { makeNode, makePod, nodeInfoWith } from '../testing/fixtures.js';
import { NodeAffinityFilter, NodeAffinityScore } from './node-affinity.js';

const REASON = "node(s) didn't match Pod's node affinity/selector";

describe('NodeAffinity filter', () => {
  const plugin = new NodeAffinityFilter();
  const ssd = nodeInfoWith(makeNode('ssd', { labels: { disk: 'ssd', cores: '16' } }));
  const hdd = nodeInfoWith(makeNode('hdd', { labels: { disk: 'hdd', cores: '4' } }));

  it('applies nodeSelector', () => {
    const pod = makePod('p', { spec: { nodeSelector: { disk: 'ssd' } } });
    assert.equal(plugin.filter(pod, ssd).code, 'Success');
    assert.deepEqual(plugin.filter(pod, hdd).reasons, [REASON]);
    assert.equal(plugin.filter(pod, hdd).code, 'UnschedulableAndUnresolvable');
  });

  it('applies required terms with Gt and NotIn, ORing terms', () => {
    const pod = makePod('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }, { key: 'disk', operator: 'NotIn', values: ['hdd'] }] },
                { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] },
              ],
            },
          },
        },
      },
    });
    assert.equal(plugin.filter(pod, ssd).code, 'Success');
    assert.equal(plugin.filter(pod, hdd).code, 'UnschedulableAndUnresolvable');
    assert.equal(plugin.filter(pod, nodeInfoWith(makeNode('g', { labels: { gpu: '' } }))).code, 'Success');
  });

  it('is skipped for pods without constraints', () => {
    assert.equal(plugin.preFilter(makePod('p')), 'skip');
  });
});

describe('NodeAffinity score', () => {
  it('sums matching preferred weights and scales the best to 100', () => {
    const pod = makePod('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 80, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
              { weight: 20, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
            ],
          },
        },
      },
    });
    const nodes = [
      nodeInfoWith(makeNode('both', { labels: { disk: 'ssd', zone: 'a' } })),
      nodeInfoWith(makeNode('zone', { labels: { zone: 'a' } })),
      nodeInfoWith(makeNode('none')),
    ];
    const plugin = new NodeAffinityScore();
    const state = new CycleState();
    assert.equal(plugin.preScore(pod, nodes, undefined, state), undefined);
    const scores = nodes.map((n) => plugin.score(pod, n, state));
    assert.deepEqual(scores, [100, 20, 0]);
    plugin.normalize(pod, scores);
    assert.deepEqual(scores, [100, 20, 0]);
  });
});

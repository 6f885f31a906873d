import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NodeSnapshot } from './framework/node-snapshot.js';
import { defaultProfile } from './plugins/default-plugins.js';
import { numFeasibleNodesToFind, PodScheduler } from './schedule-pod.js';
import { makeNode, makePod } from './testing/fixtures.js';

describe('numFeasibleNodesToFind', () => {
  it('follows the adaptive percentage', () => {
    assert.equal(numFeasibleNodesToFind(50, undefined), 50);
    assert.equal(numFeasibleNodesToFind(200, undefined), 100); // 49% = 98, raised to the 100 floor
    assert.equal(numFeasibleNodesToFind(300, undefined), 144); // 50 - 2 = 48%
    assert.equal(numFeasibleNodesToFind(1000, undefined), 420); // 50 - 8 = 42%
    assert.equal(numFeasibleNodesToFind(5000, undefined), 500); // 50 - 40 = 10%
    assert.equal(numFeasibleNodesToFind(10_000, undefined), 500); // 5% floor
    assert.equal(numFeasibleNodesToFind(1000, 100), 1000);
    assert.equal(numFeasibleNodesToFind(1000, 1), 100);
  });
});

describe('PodScheduler', () => {
  it('picks the least allocated node and reports why others fail', () => {
    const snapshot = new NodeSnapshot();
    snapshot.setNode(makeNode('small', { cpu: '1' }));
    snapshot.setNode(makeNode('big', { cpu: '8' }));
    snapshot.setNode(makeNode('tainted', { cpu: '16', taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }));
    const scheduler = new PodScheduler({ profile: defaultProfile(), random: () => 0 });
    const outcome = scheduler.schedule(makePod('p', { cpu: '500m' }), snapshot);
    assert.equal(outcome.kind, 'scheduled');
    assert.equal(outcome.kind === 'scheduled' && outcome.nodeName, 'big');
    const none = scheduler.schedule(makePod('q', { cpu: '10' }), snapshot);
    assert.equal(none.kind, 'unschedulable');
    assert.deepEqual(none.kind === 'unschedulable' && none.nodeFailures.map((f) => f.reasons[0]).sort(), [
      'Insufficient cpu',
      'Insufficient cpu',
      'node(s) had untolerated taint {k: v}',
    ]);
  });

  it('stops after enough feasible nodes in a large cluster and rotates the start', () => {
    const snapshot = new NodeSnapshot();
    for (let i = 0; i < 1000; i++) snapshot.setNode(makeNode(`n${i}`));
    const scheduler = new PodScheduler({ profile: defaultProfile() });
    const first = scheduler.schedule(makePod('a'), snapshot);
    assert.equal(first.kind === 'scheduled' && first.evaluated, 420);
    assert.equal(first.kind === 'scheduled' && first.feasible, 420);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makePod } from '../testing/fixtures.js';
import { fitErrorMessage } from './fit-error.js';
import { unresolvable, unschedulable } from './plugin.js';

describe('fitErrorMessage', () => {
  it('counts reasons per node, sorts them as strings and adds the preemption outcome', () => {
    const message = fitErrorMessage(makePod('p'), {
      numAllNodes: 3,
      nodeFailures: [
        unschedulable('Insufficient cpu'),
        unresolvable('node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'),
        unschedulable('Insufficient cpu'),
      ],
    });
    assert.equal(
      message,
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. ' +
        'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
  });

  it('counts every reason of a node that gave several', () => {
    const message = fitErrorMessage(makePod('p'), { numAllNodes: 1, nodeFailures: [unschedulable('Insufficient cpu', 'Insufficient memory')] });
    assert.equal(message, '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
  });

  it('says when preemption is not allowed and when there are no nodes', () => {
    const never = makePod('p', { spec: { preemptionPolicy: 'Never' } });
    assert.equal(
      fitErrorMessage(never, { numAllNodes: 1, nodeFailures: [unschedulable('Too many pods')] }),
      '0/1 nodes are available: 1 Too many pods. preemption: not eligible due to preemptionPolicy=Never.',
    );
    assert.equal(fitErrorMessage(makePod('p'), { numAllNodes: 0, nodeFailures: [] }), 'no nodes available to schedule pods');
  });
});

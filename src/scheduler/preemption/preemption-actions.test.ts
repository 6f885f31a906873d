import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makePod } from '../testing/fixtures.js';
import { disruptionTargetPatch } from './preemption-actions.js';

describe('disruptionTargetPatch', () => {
  it('adds (or replaces) the DisruptionTarget condition and keeps the others', () => {
    const now = new Date('2026-11-27T10:00:00Z');
    const victim = { ...makePod('v'), status: { conditions: [{ type: 'Ready', status: 'True' }] } };
    const condition = {
      type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler',
      message: 'default-scheduler: preempting to accommodate a higher priority pod', lastTransitionTime: '2026-11-27T10:00:00.000Z',
    };
    const patch = disruptionTargetPatch(victim, 'default-scheduler', now);
    assert.deepEqual(patch, { status: { conditions: [{ type: 'Ready', status: 'True' }, condition] } });
    const again = disruptionTargetPatch({ ...victim, status: patch.status }, 'default-scheduler', now);
    assert.equal(again.status.conditions.length, 2);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { ROLLOUTS } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { NotFoundError } from '../../lib/errors.js';
import type { RolloutObject } from './cli-object-types.js';
import { canaryRollout } from './rollout-cli.fixture.js';
import { abortRollout, pauseRollout, promotePatches, promoteRollout, restartRollout, retryRollout } from './rollout-actions.js';

function cluster(rollout: RolloutObject = canaryRollout()) {
  const clients = new FakeClientSet();
  clients.seed(ROLLOUTS, rollout);
  const read = () => clients.resource<RolloutObject>(ROLLOUTS).get('default', 'demo');
  const writes = () => clients.actions.map((action) => `${action.verb} ${action.resource}${action.subresource ? `/${action.subresource}` : ''}`);
  return { clients, read, writes, target: { clients, namespace: 'default', name: 'demo' } };
}

describe('promote', () => {
  it('ends a pause step by clearing the pause conditions through the status subresource', async () => {
    const { read, writes, target } = cluster();
    assert.equal(await promoteRollout({ ...target, full: false }), "rollout 'demo' promoted\n");
    const after = await read();
    assert.equal(after.status?.pauseConditions, undefined);
    assert.equal(after.status?.currentStepIndex, 1, 'the controller advances the step, not the CLI');
    assert.deepEqual(writes(), ['patch rollouts/status']);
  });

  it('unpauses a rollout paused by a user (spec.paused) and leaves the status alone when not paused by the controller', async () => {
    const rollout = canaryRollout({ pauseConditions: [], controllerPause: false, currentStepIndex: 2 });
    rollout.spec.paused = true;
    const patches = promotePatches(rollout, false);
    assert.deepEqual(patches.spec, { spec: { paused: false } });
    // Mid-step (say an analysis step): go on to the next step.
    assert.deepEqual(patches.status, { status: { pauseConditions: null, currentStepIndex: 3 } });
    const { read, writes, target } = cluster(rollout);
    await promoteRollout({ ...target, full: false });
    assert.equal((await read()).spec.paused, false);
    assert.deepEqual(writes(), ['patch rollouts', 'patch rollouts/status']);
  });

  it('after an Inconclusive step analysis, clears controllerPause and moves to the next step', () => {
    const rollout = canaryRollout({ currentStepIndex: 3, canary: { currentStepAnalysisRunStatus: { name: 'ar', status: 'Inconclusive' } } });
    assert.deepEqual(promotePatches(rollout, false).status, { status: { pauseConditions: null, controllerPause: false, currentStepIndex: 4 } });
  });

  it('--full sets status.promoteFull, unless the update is already complete', async () => {
    const { read, target } = cluster();
    assert.equal(await promoteRollout({ ...target, full: true }), "rollout 'demo' fully promoted\n");
    assert.equal((await read()).status?.promoteFull, true);
    assert.deepEqual(promotePatches(canaryRollout({ stableRS: 'bbb' }), true), {});
  });

  it('names the rollout, the namespace and the fix when the rollout does not exist', async () => {
    const { clients } = cluster();
    await assert.rejects(promoteRollout({ clients, namespace: 'team-a', name: 'nope', full: false }), (error: unknown) => {
      assert.ok(error instanceof NotFoundError);
      assert.equal(error.message, 'rollout "nope" not found in namespace "team-a" (list them with: kubectl get rollouts -n team-a)');
      return true;
    });
  });
});

describe('abort, retry, pause, restart', () => {
  it('abort sets status.abort and retry clears it, both through the status subresource', async () => {
    const { read, writes, target } = cluster();
    assert.equal(await abortRollout(target), "rollout 'demo' aborted\n");
    assert.equal((await read()).status?.abort, true);
    assert.equal(await retryRollout(target), "rollout 'demo' retried\n");
    assert.equal((await read()).status?.abort, false);
    assert.deepEqual(writes(), ['patch rollouts/status', 'patch rollouts/status']);
  });

  it('pause sets spec.paused', async () => {
    const { read, target } = cluster();
    assert.equal(await pauseRollout(target), "rollout 'demo' paused\n");
    assert.equal((await read()).spec.paused, true);
  });

  it('restart sets spec.restartAt to now (+ --in), to the second', async () => {
    const { read, target } = cluster();
    const clock = new FakeClock({ start: new Date('2025-01-01T10:00:00.750Z') });
    assert.equal(await restartRollout({ ...target, clock, inMs: 30_000, inText: '30s' }), "rollout 'demo' restarts in 30s\n");
    assert.equal((await read()).spec.restartAt, '2025-01-01T10:00:30Z');
  });

  it('abort of a missing rollout is a NotFoundError naming it', async () => {
    const { clients } = cluster();
    await assert.rejects(abortRollout({ clients, namespace: 'default', name: 'gone' }), /rollout "gone" not found in namespace "default"/);
  });
});

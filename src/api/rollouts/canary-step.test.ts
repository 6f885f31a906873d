import assert from 'node:assert/strict';
import { it } from 'node:test';
import { currentCanaryStep, currentSetWeight } from './canary-step.js';
import type { Rollout, RolloutStatus } from './index.js';

const steps = [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: '30s' } }];
const rollout = (status: RolloutStatus | undefined, list = steps): Rollout => ({
  spec: { strategy: { canary: { steps: list } } },
  ...(status === undefined ? {} : { status }),
});

void it('follows the last setWeight at or before the current step', () => {
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => currentSetWeight(rollout({ currentStepIndex: i }))), [20, 20, 50, 50, 100]);
  assert.equal(currentSetWeight(rollout(undefined)), 20);
  assert.equal(currentSetWeight(rollout({ currentStepIndex: 0 }, [{ pause: {} }])), 0);
  assert.equal(currentSetWeight(rollout({ currentStepIndex: 0 }, [])), 100);
  assert.equal(currentSetWeight(rollout({ currentStepIndex: 2, abort: true })), 0);
});

void it('names the current step', () => {
  assert.deepEqual(currentCanaryStep(rollout({ currentStepIndex: 1 })), { step: { pause: {} }, index: 1 });
  assert.equal(currentCanaryStep(rollout({ currentStepIndex: 4 })), undefined);
});

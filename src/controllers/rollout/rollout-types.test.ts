// The controller's structural Rollout types (rollout-types.ts) must accept what the API serves
// (src/api/rollouts, H14's kinds) and write back what it accepts: these assignments stop
// compiling when the two drift apart (e.g. a field narrowed here but a plain string there).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import type { Rollout } from '../../api/rollouts/index.js';
import type { RolloutObject, RolloutStatus } from './rollout-types.js';

const served = (ro: Rollout & KubeObject): RolloutObject => ro;
const written = (status: RolloutStatus): NonNullable<Rollout['status']> => status;

describe('rollout-types against the served kinds', () => {
  it('a served Rollout is a RolloutObject, and a controller status is a served status', () => {
    const ro: Rollout & KubeObject = {
      metadata: { name: 'web' },
      spec: { workloadRef: { name: 'web', scaleDown: 'onsuccess' } },
      status: { canary: { currentStepAnalysisRunStatus: { name: 'web-1', status: 'Failed' } } },
    };
    assert.equal(served(ro).spec?.workloadRef?.scaleDown, 'onsuccess');
    assert.equal(written(served(ro).status ?? {}).canary?.currentStepAnalysisRunStatus?.status, 'Failed');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canaryRollout, replicaSet } from './rollout-cli.fixture.js';
import { currentSetWeight, rolloutPhase, rolloutView } from './rollout-info.js';
import { ownedObjects } from './rollout-objects.js';

describe('rollout-info', () => {
  it('takes the last setWeight at or before the current step; 0 when aborted, 100 past the end', () => {
    assert.equal(currentSetWeight(canaryRollout({ currentStepIndex: 0 })), 20);
    assert.equal(currentSetWeight(canaryRollout({ currentStepIndex: 1 })), 20);
    assert.equal(currentSetWeight(canaryRollout({ currentStepIndex: 3 })), 50);
    assert.equal(currentSetWeight(canaryRollout({ currentStepIndex: 4 })), 100);
    assert.equal(currentSetWeight(canaryRollout({ currentStepIndex: 3, abort: true })), 0);
    const max = canaryRollout({ currentStepIndex: 4 });
    max.spec.strategy!.canary!.trafficRouting = { maxTrafficWeight: 1000, plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'demo' } } };
    assert.equal(currentSetWeight(max), 1000, 'past the end: maxTrafficWeight');
    assert.equal(rolloutView(ownedObjects(max, { replicaSets: [], pods: [], analysisRuns: [] })).actualWeight, '1000');
  });

  it('reads the actual weight from status.canary.weights when a traffic router is configured', () => {
    const rollout = canaryRollout({ canary: { weights: { canary: { weight: 17, podTemplateHash: 'bbb' }, stable: { weight: 83 } } } });
    rollout.spec.strategy!.canary!.trafficRouting = { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'demo' } } };
    const view = rolloutView(ownedObjects(rollout, { replicaSets: [], pods: [], analysisRuns: [] }));
    assert.equal(view.actualWeight, '17');
    assert.equal(view.setWeight, '20');
  });

  it('reads Progressing while the controller has not observed the spec, or not yet acted on a promote', () => {
    assert.deepEqual(rolloutPhase(canaryRollout({ observedGeneration: '1' })), { phase: 'Progressing', message: 'waiting for rollout spec update to be observed' });
    assert.deepEqual(rolloutPhase(canaryRollout({ pauseConditions: [] })), { phase: 'Progressing', message: 'waiting for rollout to unpause' });
    assert.deepEqual(rolloutPhase(canaryRollout()), { phase: 'Paused', message: 'CanaryPauseStep' });
  });

  it('groups objects by revision, newest first, and ignores objects of other owners', () => {
    const stranger = replicaSet('zzz', 9, 1, 'other');
    stranger.metadata!.ownerReferences = [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'other', uid: 'other-uid' }];
    const view = rolloutView(
      ownedObjects(canaryRollout(), { replicaSets: [replicaSet('aaa', 1, 3, 'web:v1'), stranger, replicaSet('bbb', 2, 1, 'web:v2')], pods: [], analysisRuns: [] }),
    );
    assert.deepEqual(view.revisions.map((revision) => [revision.revision, revision.replicaSets.map((rs) => [rs.name, rs.tags])]), [
      [2, [['demo-bbb', ['canary']]]],
      [1, [['demo-aaa', ['stable']]]],
    ]);
  });

  it('calls a ReplicaSet with fewer available pods than desired Progressing, and one at 0 ScaledDown', () => {
    const growing = replicaSet('bbb', 2, 3, 'web:v2');
    growing.status!.availableReplicas = 1;
    const gone = replicaSet('aaa', 1, 0, 'web:v1');
    const view = rolloutView(ownedObjects(canaryRollout(), { replicaSets: [growing, gone], pods: [], analysisRuns: [] }));
    assert.deepEqual(view.revisions.map((revision) => revision.replicaSets[0]?.status), ['Progressing', 'ScaledDown']);
    assert.deepEqual(view.images, [{ image: 'web:v2', tags: ['canary'] }]);
  });
});

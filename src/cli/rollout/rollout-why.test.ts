import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canaryRollout, NOW } from './rollout-cli.fixture.js';
import { renderWhy } from './rollout-why.js';

describe('why', () => {
  it('lists the decisions oldest first with the metrics behind them, then the abort and its fix', () => {
    const rollout = canaryRollout({
      abort: true,
      abortedAt: '2025-01-01T00:04:00Z',
      phase: 'Degraded',
      message: 'RolloutAborted: Rollout aborted update to revision 2',
      pauseConditions: [],
      controllerPause: false,
      decisions: [
        { time: '2025-01-01T00:01:00Z', kind: 'step', step: 0, message: 'setWeight 20: canary 20%, stable 80%' },
        {
          time: '2025-01-01T00:04:00Z', kind: 'abort', step: 1, message: 'analysis failed: traffic back to stable', analysisRun: 'demo-bbb-2-1',
          metrics: [{ name: 'success-rate', phase: 'Failed', value: '0.42', condition: 'result >= 0.95' }],
        },
      ],
    });
    assert.equal(
      renderWhy(rollout, NOW),
      [
        "Rollout 'demo' in namespace 'default': ✖ Degraded: RolloutAborted: Rollout aborted update to revision 2",
        '',
        'TIME                  AGE  DECISION  STEP  MESSAGE',
        '2025-01-01T00:01:00Z  4m   step      0     setWeight 20: canary 20%, stable 80%',
        '2025-01-01T00:04:00Z  60s  abort     1     analysis failed: traffic back to stable [demo-bbb-2-1]',
        '                                             ✖ success-rate = 0.42 (result >= 0.95): Failed',
        '',
        'Aborted since 2025-01-01T00:04:00Z (60s ago): RolloutAborted: Rollout aborted update to revision 2.',
        'All traffic is on the stable revision. Fix the pod template and apply it, or retry this revision with: k8ts rollout retry demo',
        '',
      ].join('\n'),
    );
  });

  it('says why it is paused and how to continue', () => {
    const text = renderWhy(canaryRollout(), NOW);
    assert.match(text, /No decisions recorded yet/);
    assert.match(text, /^Paused: CanaryPauseStep since 2025-01-01T00:04:00Z \(60s ago\)\.$/m);
    assert.match(text, /^Continue with: k8ts rollout promote demo/m);
  });
});

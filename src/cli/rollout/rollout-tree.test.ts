import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analysisRun, canaryRollout, NOW, replicaSet, runningPod } from './rollout-cli.fixture.js';
import { rolloutView } from './rollout-info.js';
import { ownedObjects } from './rollout-objects.js';
import { renderRollout, renderTree } from './rollout-tree.js';

const objects = () =>
  ownedObjects(canaryRollout(), {
    replicaSets: [replicaSet('aaa', 1, 3, 'web:v1'), replicaSet('bbb', 2, 1, 'web:v2')],
    pods: [runningPod('aaa', 'x1'), runningPod('aaa', 'x2', 2), runningPod('aaa', 'x3'), runningPod('bbb', 'y1')],
    analysisRuns: [analysisRun('demo-bbb-2-0', 2, 'Successful', { successful: 3, failed: 0 })],
  });

describe('renderRollout', () => {
  it('prints the summary and the revision tree as the Argo plugin lays them out', () => {
    const text = renderRollout(rolloutView(objects()), { now: NOW, color: false });
    assert.equal(
      text,
      [
        'Name:            demo',
        'Namespace:       default',
        'Status:          ॥ Paused',
        'Message:         CanaryPauseStep',
        'Strategy:        Canary',
        '  Step:          1/4',
        '  SetWeight:     20',
        '  ActualWeight:  25',
        'Images:          web:v1 (stable)',
        '                 web:v2 (canary)',
        'Replicas:',
        '  Desired:       3',
        '  Current:       4',
        '  Updated:       1',
        '  Ready:         4',
        '  Available:     4',
        '',
        'NAME                    KIND         STATUS        AGE  INFO',
        '⟳ demo                  Rollout      ॥ Paused      5m',
        '├──# revision:2',
        '│  ├──⧉ demo-bbb        ReplicaSet   ✔ Healthy     5m   canary,ready:1/1',
        '│  │  └──□ demo-bbb-y1  Pod          ✔ Running     2m   ready:1/1',
        '│  └──α demo-bbb-2-0    AnalysisRun  ✔ Successful  30s  ✔ 3',
        '└──# revision:1',
        '   └──⧉ demo-aaa        ReplicaSet   ✔ Healthy     5m   stable,ready:3/3',
        '      ├──□ demo-aaa-x1  Pod          ✔ Running     2m   ready:1/1',
        '      ├──□ demo-aaa-x2  Pod          ✔ Running     2m   ready:1/1,restarts:2',
        '      └──□ demo-aaa-x3  Pod          ✔ Running     2m   ready:1/1',
        '',
      ].join('\n'),
    );
  });

  it('colours icons and tags without breaking the column alignment', () => {
    const plain = renderTree(rolloutView(objects()), { now: NOW, color: false });
    const coloured = renderTree(rolloutView(objects()), { now: NOW, color: true });
    assert.ok(coloured.includes('\x1b[33mcanary\x1b[0m'));
    assert.ok(coloured.includes('\x1b[32mstable\x1b[0m'));
    // eslint-disable-next-line no-control-regex -- stripping the colours we added
    assert.equal(coloured.replace(/\x1b\[[0-9;]*m/g, ''), plain);
  });

  it('shows failed and successful measurement counts, a scale-down delay and a blue/green preview', () => {
    const rollout = canaryRollout();
    rollout.spec.strategy = { blueGreen: { activeService: 'demo-active', previewService: 'demo-preview' } };
    rollout.status = { ...rollout.status, phase: 'Degraded', message: 'RolloutAborted: Rollout aborted update to revision 2', blueGreen: { activeSelector: 'aaa', previewSelector: 'bbb' } };
    const old = replicaSet('aaa', 1, 3, 'web:v1');
    old.metadata!.annotations!['scale-down-deadline'] = '2025-01-01T00:05:30Z';
    const view = rolloutView(
      ownedObjects(rollout, {
        replicaSets: [old, replicaSet('bbb', 2, 3, 'web:v2')],
        pods: [],
        analysisRuns: [analysisRun('demo-bbb-pre', 2, 'Failed', { successful: 1, failed: 2 })],
      }),
    );
    const text = renderRollout(view, { now: NOW, color: false });
    assert.match(text, /^Status: {10}✖ Degraded$/m);
    assert.match(text, /^Strategy: {8}BlueGreen$/m);
    assert.doesNotMatch(text, /SetWeight/);
    assert.match(text, /⧉ demo-bbb +ReplicaSet +✔ Healthy +5m +preview,ready:3\/3$/m);
    assert.match(text, /⧉ demo-aaa +ReplicaSet +✔ Healthy +5m +stable,active,delay:30s,ready:3\/3$/m);
    assert.match(text, /α demo-bbb-pre +AnalysisRun +✖ Failed +30s +✔ 1,✖ 2$/m);
  });
});

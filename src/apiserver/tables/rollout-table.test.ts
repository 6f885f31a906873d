import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analysisRunTable } from './analysis-run-table.js';
import { analysisTemplateTable } from './analysis-template-table.js';
import { rolloutTable } from './rollout-table.js';

const now = new Date('2025-01-01T00:01:00Z');
const metadata = { name: 'x', creationTimestamp: '2025-01-01T00:00:00Z' };

void describe('Argo Rollouts tables (the CRDs\' printer columns)', () => {
  void it('Rollout: NAME DESIRED CURRENT UP-TO-DATE AVAILABLE AGE (+STRATEGY STATUS STEP SET-WEIGHT ACTUAL-WEIGHT wide)', () => {
    assert.deepEqual(rolloutTable.columns.map((c) => [c.name, c.type, c.priority]), [
      ['Name', 'string', 0], ['Desired', 'integer', 0], ['Current', 'integer', 0], ['Up-to-date', 'integer', 0], ['Available', 'integer', 0],
      ['Age', 'string', 0], ['Strategy', 'string', 1], ['Status', 'string', 1], ['Step', 'string', 1], ['Set-Weight', 'integer', 1], ['Actual-Weight', 'integer', 1],
    ]);
    const canary = {
      metadata,
      spec: { replicas: 5, strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 40 }] } } },
      status: {
        phase: 'Paused', replicas: 6, updatedReplicas: 1, availableReplicas: 6, currentStepIndex: 1,
        canary: { weights: { canary: { weight: 20 }, stable: { weight: 80 } } },
      },
    };
    assert.deepEqual(rolloutTable.cells(canary, now), ['x', 5, 6, 1, 6, '60s', 'Canary', 'Paused', '1/3', 20, 20]);
  });

  void it('Rollout: empty cells before the controller wrote status, none for blue-green steps', () => {
    const blueGreen = { metadata, spec: { replicas: 2, strategy: { blueGreen: { activeService: 'a' } } } };
    assert.deepEqual(rolloutTable.cells(blueGreen, now), ['x', 2, null, null, null, '60s', 'BlueGreen', null, null, null, null]);
    assert.deepEqual(rolloutTable.cells({ metadata }, now), ['x', null, null, null, null, '60s', null, null, null, null, null]);
  });

  void it('AnalysisRun: NAME STATUS AGE; templates: NAME AGE', () => {
    assert.deepEqual(analysisRunTable.columns.map((c) => c.name), ['Name', 'Status', 'Age']);
    assert.deepEqual(analysisRunTable.cells({ metadata, status: { phase: 'Running' } }, now), ['x', 'Running', '60s']);
    assert.deepEqual(analysisRunTable.cells({ metadata }, now), ['x', null, '60s']);
    assert.deepEqual(analysisTemplateTable.columns.map((c) => c.name), ['Name', 'Age']);
    assert.deepEqual(analysisTemplateTable.cells({ metadata }, now), ['x', '60s']);
  });
});

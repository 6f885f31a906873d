import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { horizontalPodAutoscalerTable } from './horizontal-pod-autoscaler-table.js';

const now = new Date('2026-11-27T12:00:00Z');
const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } };
const memory = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } };
const rps = { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } };
const queue = { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } };

function hpa(metrics: unknown[], status: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: { name: 'web', creationTimestamp: '2026-11-27T11:55:00Z' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3, metrics },
    status: { desiredReplicas: 0, ...status },
  };
}

describe('horizontalPodAutoscalerTable', () => {
  it('has upstream columns', () => {
    assert.deepEqual(horizontalPodAutoscalerTable.columns.map((c) => c.name), ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age']);
  });

  it('shows <unknown> current values before the controller reports', () => {
    assert.deepEqual(horizontalPodAutoscalerTable.cells(hpa([cpu]), now), ['web', 'Deployment/web', 'cpu: <unknown>/50%', '1', 3, 0, '5m']);
  });

  it('shows current values from status.currentMetrics, by position', () => {
    const status = {
      currentReplicas: 2,
      currentMetrics: [
        { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 12, averageValue: '60m' } } },
        { type: 'Resource', resource: { name: 'memory', current: { averageValue: '80Mi' } } },
      ],
    };
    const cells = horizontalPodAutoscalerTable.cells(hpa([cpu, memory], status), now);
    assert.equal(cells[2], 'cpu: 12%/50%, memory: 80Mi/100Mi');
    assert.equal(cells[5], 2);
  });

  it('shows two metrics and counts the rest', () => {
    const cells = horizontalPodAutoscalerTable.cells(hpa([cpu, rps, queue, memory]), now);
    assert.equal(cells[2], 'cpu: <unknown>/50%, <unknown>/10 + 2 more...');
    assert.equal(horizontalPodAutoscalerTable.cells(hpa([queue]), now)[2], '<unknown>/30 (avg)');
  });

  it('prints <none> without metrics and <unset> without minReplicas', () => {
    const cells = horizontalPodAutoscalerTable.cells({ metadata: { name: 'bare' }, spec: { maxReplicas: 2, scaleTargetRef: { kind: 'StatefulSet', name: 'db' } } }, now);
    assert.deepEqual(cells.slice(1, 6), ['StatefulSet/db', '<none>', '<unset>', 2, 0]);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../api/object.js';
import { hpaV1ToV2, hpaV2ToV1 } from './hpa-v1-conversion.js';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

describe('autoscaling/v1 <-> v2 HorizontalPodAutoscaler', () => {
  it('stores what kubectl autoscale sends as a defaulted v2 object', () => {
    const v1: KubeObject = {
      apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
      spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50 },
      status: { currentReplicas: 0, desiredReplicas: 0 },
    };
    assert.deepEqual(hpaV1ToV2(v1), {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
      spec: {
        scaleTargetRef: ref, minReplicas: 1, maxReplicas: 3,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      },
      status: { currentReplicas: 0, desiredReplicas: 0 },
    });
  });

  it('gives an HPA without a CPU target the v2 default of 80%', () => {
    const stored = hpaV1ToV2({ metadata: { name: 'w' }, spec: { scaleTargetRef: ref, maxReplicas: 2 } });
    assert.deepEqual((stored.spec as { metrics?: unknown }).metrics, [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
    ]);
  });

  it('reads the CPU utilization metric and its current value back as v1 percentages', () => {
    const v2: KubeObject = {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
      spec: {
        scaleTargetRef: ref, minReplicas: 1, maxReplicas: 3,
        metrics: [
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1Gi' } } },
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        ],
        behavior: { scaleDown: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
      },
      status: {
        observedGeneration: 2, currentReplicas: 2, desiredReplicas: 3,
        currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 91, averageValue: '455m' } } }],
      },
    };
    assert.deepEqual(hpaV2ToV1(Object.freeze(v2)), {
      apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
      spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 70 },
      status: { observedGeneration: 2, currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 91 },
    });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../object.js';
import { defaultHorizontalPodAutoscaler } from './horizontal-pod-autoscaler.js';

const SCALE_UP = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
};
const SCALE_DOWN = { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

function defaulted(spec: Record<string, unknown>): Record<string, unknown> {
  const obj: KubeObject = { metadata: { name: 'web' }, spec };
  defaultHorizontalPodAutoscaler(obj);
  return obj;
}

describe('defaultHorizontalPodAutoscaler', () => {
  it('fills minReplicas 1, a CPU target of 80% and status.desiredReplicas, and adds no behavior', () => {
    const hpa = defaulted({ scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3 });
    assert.deepEqual(hpa.spec, {
      scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3, minReplicas: 1,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    });
    assert.deepEqual(hpa.status, { desiredReplicas: 0 });
  });

  it('keeps the metrics and minReplicas given', () => {
    const metrics = [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } }];
    const spec = defaulted({ minReplicas: 2, maxReplicas: 3, metrics }).spec as Record<string, unknown>;
    assert.equal(spec.minReplicas, 2);
    assert.deepEqual(spec.metrics, metrics);
  });

  it('fills both directions of an empty behavior; scale-down keeps no stabilization window (the controller default applies)', () => {
    const spec = defaulted({ maxReplicas: 3, behavior: {} }).spec as Record<string, unknown>;
    assert.deepEqual(spec.behavior, { scaleUp: SCALE_UP, scaleDown: SCALE_DOWN });
  });

  it('fills only what each direction left unset', () => {
    const spec = defaulted({
      maxReplicas: 3,
      behavior: {
        scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
        scaleUp: { selectPolicy: 'Disabled', policies: [] },
      },
    }).spec as Record<string, unknown>;
    assert.deepEqual(spec.behavior, {
      scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
      // An empty list is the user's, not nil: kept (and refused by validation).
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Disabled', policies: [] },
    });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFieldError } from '../field-error.js';
import type { KubeObject } from '../object.js';
import { validateHorizontalPodAutoscaler } from './horizontal-pod-autoscaler.js';

const cpu = (target: Record<string, unknown>) => ({ type: 'Resource', resource: { name: 'cpu', target } });

function hpa(spec: Record<string, unknown> = {}, status: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3,
      metrics: [cpu({ type: 'Utilization', averageUtilization: 50 })],
      ...spec,
    },
    status,
  };
}

const errorsOf = (obj: KubeObject, old?: KubeObject): string[] => validateHorizontalPodAutoscaler(obj, old).map(formatFieldError);

describe('validateHorizontalPodAutoscaler', () => {
  it('accepts a valid HPA', () => {
    assert.deepEqual(errorsOf(hpa()), []);
  });

  it('checks the replica bounds', () => {
    assert.deepEqual(errorsOf(hpa({ minReplicas: 3, maxReplicas: 2 })), ['spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`']);
    assert.deepEqual(errorsOf(hpa({ minReplicas: 0 })), [
      'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1',
      'spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas',
    ]);
    assert.deepEqual(errorsOf(hpa({ maxReplicas: 0, minReplicas: undefined })), ['spec.maxReplicas: Invalid value: 0: must be greater than 0']);
  });

  it('lets an HPA already at minReplicas 0 keep it (with an outside metric)', () => {
    const external = [{ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '10' } } }];
    const atZero = hpa({ minReplicas: 0, metrics: external });
    assert.deepEqual(errorsOf(atZero, atZero), []);
  });

  it('needs a scale target kind and name usable in a path', () => {
    assert.deepEqual(errorsOf(hpa({ scaleTargetRef: {} })), ['spec.scaleTargetRef.kind: Required value', 'spec.scaleTargetRef.name: Required value']);
    assert.deepEqual(errorsOf(hpa({ scaleTargetRef: { kind: 'Deployment', name: 'a/b' } })), [
      `spec.scaleTargetRef.name: Invalid value: "a/b": may not contain '/'`,
    ]);
  });

  it('needs a known metric type with its own source and only that', () => {
    assert.deepEqual(errorsOf(hpa({ metrics: [{ type: 'Pods' }] })), ['spec.metrics[0].pods: Required value: must populate information for the given metric source']);
    assert.deepEqual(errorsOf(hpa({ metrics: [{ type: 'Magic' }] })), [
      'spec.metrics[0].type: Unsupported value: "Magic": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
      'spec.metrics[0].type: Unsupported value: "Magic": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
    ]);
    const both = { ...cpu({ type: 'Utilization', averageUtilization: 50 }), pods: { metric: { name: 'x' }, target: { type: 'AverageValue', averageValue: '1' } } };
    assert.deepEqual(errorsOf(hpa({ metrics: [both] })), ['spec.metrics[0].pods: Forbidden: must populate the given metric source only']);
  });

  it('checks metric targets', () => {
    assert.deepEqual(errorsOf(hpa({ metrics: [cpu({ type: 'Utilization', averageUtilization: 0 })] })), [
      'spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
    ]);
    assert.deepEqual(errorsOf(hpa({ metrics: [cpu({ type: 'Percent' })] })), [
      'spec.metrics[0].resource.target.type: Invalid value: "Percent": must be either Utilization, Value, or AverageValue',
      'spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization',
    ]);
    assert.deepEqual(errorsOf(hpa({ metrics: [cpu({ type: 'AverageValue', averageValue: '-1' })] })), [
      'spec.metrics[0].resource.target.averageValue: Invalid value: "-1": must be positive',
    ]);
    assert.deepEqual(errorsOf(hpa({ metrics: [cpu({ type: 'Utilization', averageUtilization: 50, averageValue: '1' })] })), [
      'spec.metrics[0].resource.target.averageValue: Forbidden: may not set both a target raw value and a target utilization',
    ]);
    assert.deepEqual(errorsOf(hpa({ metrics: [{ type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'Value', value: '5' } } }] })), [
      'spec.metrics[0].pods.target.averageValue: Required value: must specify a positive target averageValue',
    ]);
    assert.deepEqual(
      errorsOf(hpa({ metrics: [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: '', target: { type: 'Utilization', averageUtilization: 60 } } }] })),
      ['spec.metrics[0].containerResource.container: Required value: must specify a container'],
    );
    assert.deepEqual(
      errorsOf(hpa({ metrics: [{ type: 'Object', object: { describedObject: { kind: 'Service', name: 's' }, metric: { name: 'rps' }, target: { type: 'Utilization', averageUtilization: 5 } } }] })),
      ['spec.metrics[0].object.target.averageValue: Required value: must set either a target value or averageValue'],
    );
  });

  it('checks behavior rules and policies', () => {
    const rules = (scaleUp: Record<string, unknown>) => hpa({ behavior: { scaleUp } });
    const policy = { type: 'Pods', value: 1, periodSeconds: 15 };
    assert.deepEqual(errorsOf(rules({ policies: [policy], stabilizationWindowSeconds: 3601 })), [
      'spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 3601: must be less than or equal to 3600',
    ]);
    assert.deepEqual(errorsOf(rules({ policies: [policy], stabilizationWindowSeconds: -1 })), [
      'spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: -1: must be greater than or equal to zero',
    ]);
    assert.deepEqual(errorsOf(rules({ policies: [policy], selectPolicy: 'Sometimes' })), [
      'spec.behavior.scaleUp.selectPolicy: Unsupported value: "Sometimes": supported values: "Disabled", "Max", "Min"',
    ]);
    assert.deepEqual(errorsOf(rules({ policies: [] })), ['spec.behavior.scaleUp.policies: Required value: must specify at least one Policy']);
    assert.deepEqual(errorsOf(rules({ policies: [{ type: 'Nodes', value: 0, periodSeconds: 1801 }] })), [
      'spec.behavior.scaleUp.policies[0].type: Unsupported value: "Nodes": supported values: "Percent", "Pods"',
      'spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero',
      'spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 1801: must be less than or equal to 1800',
    ]);
    assert.deepEqual(errorsOf(rules({ policies: [{ type: 'Percent', value: 10, periodSeconds: 0 }] })), [
      'spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 0: must be greater than zero',
    ]);
  });

  it('refuses negative status counts', () => {
    assert.deepEqual(errorsOf(hpa({}, { currentReplicas: -1, desiredReplicas: 0 })), ['status.currentReplicas: Invalid value: -1: must be greater than or equal to 0']);
  });
});

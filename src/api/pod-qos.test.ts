import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeQosClass } from './pod-qos.js';

const c = (resources?: Record<string, unknown>): Record<string, unknown> => ({ name: 'c', image: 'x', ...(resources ? { resources } : {}) });

test('BestEffort without cpu/memory requests or limits', () => {
  assert.equal(computeQosClass({ containers: [c(), c({})] }), 'BestEffort');
  assert.equal(computeQosClass({ containers: [c({ limits: { 'example.com/gpu': '1' } })] }), 'BestEffort');
  assert.equal(computeQosClass(undefined), 'BestEffort');
});

test('Guaranteed when every container limits cpu and memory and requests equal limits', () => {
  assert.equal(computeQosClass({ containers: [c({ limits: { cpu: '1', memory: '1Gi' } })] }), 'Guaranteed');
  assert.equal(
    computeQosClass({ containers: [c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1024Mi' } })] }),
    'Guaranteed',
  );
});

test('Burstable otherwise', () => {
  assert.equal(computeQosClass({ containers: [c({ requests: { cpu: '100m' } })] }), 'Burstable');
  assert.equal(computeQosClass({ containers: [c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } })] }), 'Burstable');
  assert.equal(computeQosClass({ containers: [c({ limits: { cpu: '1', memory: '1Gi' } }), c()] }), 'Burstable');
  assert.equal(
    computeQosClass({ containers: [c({ limits: { cpu: '1', memory: '1Gi' } })], initContainers: [c({ limits: { cpu: '1' } })] }),
    'Burstable',
  );
});

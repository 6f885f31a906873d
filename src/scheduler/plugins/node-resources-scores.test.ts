import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makePod, nodeInfoWith } from '../testing/fixtures.js';
import { NodeResourcesBalancedAllocation } from './node-resources-balanced-allocation.js';
import { NodeResourcesLeastAllocated } from './node-resources-least-allocated.js';

describe('NodeResourcesLeastAllocated', () => {
  it('scores the free fraction after placing the pod, cpu and memory averaged', () => {
    const info = nodeInfoWith(makeNode('n', { cpu: '4', memory: '8Gi' }), makePod('a', { cpu: '1', memory: '2Gi' }));
    // cpu (4000-2000)*100/4000 = 50, memory (8-4)*100/8 = 50.
    assert.equal(new NodeResourcesLeastAllocated().score(makePod('p', { cpu: '1', memory: '2Gi' }), info), 50);
    // cpu (4000-1100)*100/4000 = 72, memory (8-4)*100/8 = 50 -> 61.
    assert.equal(new NodeResourcesLeastAllocated().score(makePod('p', { memory: '2Gi' }), info), 61);
  });

  it('prefers the emptier node', () => {
    const plugin = new NodeResourcesLeastAllocated();
    const pod = makePod('p', { cpu: '500m', memory: '1Gi' });
    const busy = nodeInfoWith(makeNode('busy'), makePod('a', { cpu: '3', memory: '6Gi' }));
    const idle = nodeInfoWith(makeNode('idle'));
    assert.ok(plugin.score(pod, idle) > plugin.score(pod, busy));
  });
});

describe('NodeResourcesBalancedAllocation', () => {
  it('is 100 for equal fractions and drops with the imbalance', () => {
    const plugin = new NodeResourcesBalancedAllocation();
    assert.equal(plugin.score(makePod('p', { cpu: '2', memory: '4Gi' }), nodeInfoWith(makeNode('n'))), 100);
    // cpu 0.5, memory 0.25 -> std 0.125 -> 87.
    assert.equal(plugin.score(makePod('p', { cpu: '2', memory: '2Gi' }), nodeInfoWith(makeNode('n'))), 87);
  });
});

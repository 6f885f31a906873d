import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makePod, nodeInfoWith } from '../testing/fixtures.js';
import { NodeResourcesFitFilter } from './node-resources-fit.js';

describe('NodeResourcesFit filter', () => {
  const plugin = new NodeResourcesFitFilter();

  it('passes when requests fit what is left', () => {
    const info = nodeInfoWith(makeNode('n', { cpu: '2', memory: '4Gi' }), makePod('a', { cpu: '1500m', memory: '1Gi' }));
    assert.equal(plugin.filter(makePod('p', { cpu: '500m', memory: '3Gi' }), info).code, 'Success');
  });

  it('reports Insufficient cpu and memory with upstream wording', () => {
    const info = nodeInfoWith(makeNode('n', { cpu: '2', memory: '4Gi' }), makePod('a', { cpu: '1500m', memory: '3Gi' }));
    const result = plugin.filter(makePod('p', { cpu: '600m', memory: '2Gi' }), info);
    assert.equal(result.code, 'Unschedulable');
    assert.deepEqual(result.reasons, ['Insufficient cpu', 'Insufficient memory']);
  });

  it('reports Too many pods even for pods that request nothing', () => {
    const info = nodeInfoWith(makeNode('n', { pods: '1' }), makePod('a'));
    assert.deepEqual(plugin.filter(makePod('p'), info).reasons, ['Too many pods']);
    assert.equal(plugin.filter(makePod('p'), nodeInfoWith(makeNode('n', { pods: '2' }), makePod('a'))).code, 'Success');
  });

  it('checks extended resources against allocatable', () => {
    const pod = makePod('p', { spec: { containers: [{ name: 'c', resources: { requests: { 'example.com/gpu': '1' } } }] } });
    assert.deepEqual(plugin.filter(pod, nodeInfoWith(makeNode('n'))).reasons, ['Insufficient example.com/gpu']);
  });

  it('frees resources when a pod is removed from the node', () => {
    const info = nodeInfoWith(makeNode('n', { cpu: '1' }), makePod('a', { cpu: '1' }));
    assert.equal(plugin.filter(makePod('p', { cpu: '1' }), info).code, 'Unschedulable');
    info.removePod('default/a');
    assert.equal(plugin.filter(makePod('p', { cpu: '1' }), info).code, 'Success');
  });
});

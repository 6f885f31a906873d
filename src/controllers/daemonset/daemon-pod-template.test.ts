import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newDaemonPod, pinToNode, targetNodeName } from './daemon-pod-template.js';
import { daemonSet } from './daemon-set-harness.fixture.js';
import type { PodObject } from './daemon-set-types.js';

describe('daemon pod template', () => {
  it('pins to the node, replacing required node affinity and keeping the rest of the affinity', () => {
    const affinity = pinToNode({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }] },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'ssd', operator: 'Exists' }] } }],
      },
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [] },
    }, 'node-1');
    assert.deepEqual(affinity.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution, {
      nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }],
    });
    assert.equal(affinity.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length, 1);
    assert.deepEqual(affinity.podAntiAffinity, { requiredDuringSchedulingIgnoredDuringExecution: [] });
  });

  it('finds the target node from spec.nodeName, else from the pinned affinity', () => {
    const pod = newDaemonPod(daemonSet(), daemonSet().spec!.template, 'node-1');
    assert.equal(targetNodeName(pod), 'node-1');
    assert.equal(targetNodeName({ ...pod, spec: { ...pod.spec!, nodeName: 'node-2' } }), 'node-2');
    const unpinned: PodObject = { metadata: { name: 'x' }, spec: { containers: [] } };
    assert.equal(targetNodeName(unpinned), undefined);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { newJob } from './job-harness.fixture.js';
import { activePodsForRemoval } from './pods-for-removal.js';

interface Shape { node?: string; phase?: string; ready?: string; created?: string; index?: number; restarts?: number }

function pod(name: string, shape: Shape = {}): Pod {
  return {
    metadata: {
      name, namespace: 'default',
      ...(shape.created ? { creationTimestamp: shape.created } : {}),
      ...(shape.index !== undefined ? { annotations: { 'batch.kubernetes.io/job-completion-index': String(shape.index) } } : {}),
    },
    spec: { containers: [], ...(shape.node ? { nodeName: shape.node } : {}) },
    status: {
      phase: shape.phase ?? 'Running',
      ...(shape.ready ? { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: shape.ready }] } : {}),
      containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: false, restartCount: shape.restarts ?? 0 }],
    },
  };
}

const names = (pods: Pod[]): string[] => pods.map((p) => p.metadata!.name!);

describe('activePodsForRemoval', () => {
  it('least advanced first: unscheduled, pending, not ready, ready recently, restarted, newer', () => {
    const pods = [
      pod('ready-long', { node: 'n', ready: '2025-01-01T00:00:00Z', created: '2025-01-01T00:00:00Z' }),
      pod('ready-recent', { node: 'n', ready: '2025-01-01T01:00:00Z', created: '2025-01-01T00:00:00Z' }),
      pod('running-new', { node: 'n', created: '2025-01-02T00:00:00Z' }),
      pod('running-old', { node: 'n', created: '2025-01-01T00:00:00Z' }),
      pod('running-restarted', { node: 'n', created: '2025-01-01T00:00:00Z', restarts: 3 }),
      pod('pending', { node: 'n', phase: 'Pending' }),
      pod('unscheduled', { phase: 'Pending' }),
    ];
    assert.deepEqual(names(activePodsForRemoval(newJob(), pods, 7)), [
      'unscheduled', 'pending', 'running-restarted', 'running-new', 'running-old', 'ready-recent', 'ready-long',
    ]);
    assert.deepEqual(names(activePodsForRemoval(newJob(), pods, 2)), ['unscheduled', 'pending']);
  });

  it('Indexed: removes out-of-range, index-less and repeated indexes even when none is due', () => {
    const job = newJob({ completionMode: 'Indexed', completions: 3 });
    const pods = [pod('a', { index: 0, node: 'n' }), pod('b', { index: 1, phase: 'Pending' }), pod('c', { index: 1, node: 'n' }), pod('d', { index: 5 }), pod('e')];
    assert.deepEqual(names(activePodsForRemoval(job, pods, 0)).sort(), ['b', 'd', 'e']);
    assert.deepEqual(names(activePodsForRemoval(job, pods, 4)).sort(), ['a', 'b', 'd', 'e']);
  });
});

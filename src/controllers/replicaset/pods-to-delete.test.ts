import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { podsToDelete } from './pods-to-delete.js';

interface Shape {
  node?: string;
  phase?: string;
  ready?: string;
  restarts?: number;
  created?: string;
}

function pod(name: string, s: Shape): Pod {
  return {
    metadata: { name, creationTimestamp: s.created ?? '2025-01-01T00:00:00Z' },
    spec: { containers: [], ...(s.node ? { nodeName: s.node } : {}) },
    status: {
      phase: s.phase ?? 'Running',
      conditions: s.ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: s.ready }] : [],
      containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: !!s.ready, restartCount: s.restarts ?? 0 }],
    },
  };
}

const names = (pods: Pod[]): string[] => pods.map((p) => p.metadata?.name ?? '');

describe('podsToDelete', () => {
  it('orders unscheduled, pending, not ready, restarts, newer', () => {
    const pods = [
      pod('old-ready', { node: 'n1', ready: '2025-01-01T00:00:00Z', created: '2025-01-01T00:00:00Z' }),
      pod('new-ready', { node: 'n2', ready: '2025-01-01T00:00:00Z', created: '2025-01-01T00:01:00Z' }),
      pod('crashy', { node: 'n3', restarts: 5 }),
      pod('not-ready', { node: 'n4' }),
      pod('pending', { node: 'n5', phase: 'Pending' }),
      pod('unscheduled', { phase: 'Pending' }),
    ];
    assert.deepEqual(names(podsToDelete(pods, 6)), names(pods), 'count >= length returns all');
    assert.deepEqual(names(podsToDelete(pods, 5)), ['unscheduled', 'pending', 'crashy', 'not-ready', 'new-ready']);
    assert.deepEqual(names(podsToDelete(pods, 1)), ['unscheduled']);
  });

  it('prefers doubled-up nodes, then the most recently ready', () => {
    const pods = [
      pod('a', { node: 'n1', ready: '2025-01-01T00:00:00Z' }),
      pod('b', { node: 'n2', ready: '2025-01-01T00:00:00Z' }),
      pod('c', { node: 'n2', ready: '2025-01-01T00:00:00Z' }),
      pod('d', { node: 'n3', ready: '2025-01-01T00:05:00Z' }),
    ];
    assert.deepEqual(names(podsToDelete(pods, 3)), ['b', 'c', 'd']);
  });
});

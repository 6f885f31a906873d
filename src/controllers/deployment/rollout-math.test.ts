import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeploymentObject, ReplicaSetObject } from './deployment-types.js';
import { maxSurge, maxUnavailable, newReplicaSetReplicas, replicaSetFraction, resolveFenceposts, scaledValue } from './rollout-math.js';

function deployment(replicas: number, surge: number | string, unavailable: number | string, type = 'RollingUpdate'): DeploymentObject {
  return {
    metadata: { name: 'web' },
    spec: {
      replicas,
      selector: {},
      template: {},
      strategy: type === 'RollingUpdate' ? { type, rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } : { type },
    },
  };
}

function rs(replicas: number, maxReplicas?: number): ReplicaSetObject {
  return {
    metadata: { name: `rs-${replicas}`, ...(maxReplicas !== undefined ? { annotations: { 'deployment.kubernetes.io/max-replicas': String(maxReplicas) } } : {}) },
    spec: { replicas, selector: {} },
  };
}

test('percentages: surge rounds up, unavailable rounds down', () => {
  assert.equal(scaledValue('25%', 10, true), 3);
  assert.equal(scaledValue('25%', 10, false), 2);
  assert.equal(scaledValue('33%', 3, true), 1);
  assert.equal(scaledValue('33%', 3, false), 0);
  assert.equal(scaledValue(4, 10, false), 4);
});

test('resolveFenceposts table, including the both-zero case', () => {
  const table: [number, number | string, number | string, [number, number]][] = [
    [10, '25%', '25%', [3, 2]],
    [1, '25%', '25%', [1, 0]],
    [3, 0, 0, [0, 1]],
    [3, '0%', '0%', [0, 1]],
    [3, '10%', '10%', [1, 0]],
    [4, 0, '50%', [0, 2]],
    [0, '25%', '25%', [0, 1]],
  ];
  for (const [replicas, surge, unavailable, expected] of table) {
    assert.deepEqual(resolveFenceposts(surge, unavailable, replicas), expected, `${replicas} ${surge} ${unavailable}`);
  }
});

test('maxUnavailable never exceeds replicas and is 0 for Recreate; Recreate has no surge', () => {
  assert.equal(maxUnavailable(deployment(2, 0, 5)), 2);
  assert.equal(maxUnavailable(deployment(0, 0, 0)), 0);
  assert.equal(maxUnavailable(deployment(5, 1, 1, 'Recreate')), 0);
  assert.equal(maxSurge(deployment(5, 1, 1, 'Recreate')), 0);
});

test('the new ReplicaSet grows up to replicas + maxSurge pods in total, never above replicas', () => {
  const d = deployment(10, '25%', '25%');
  const newRS = rs(0);
  assert.equal(newReplicaSetReplicas(d, [rs(10), newRS], newRS), 3);
  const grown = rs(3);
  assert.equal(newReplicaSetReplicas(d, [rs(10), grown], grown), 3, 'no room: 13 already');
  assert.equal(newReplicaSetReplicas(d, [rs(2), rs(9)], rs(9)), 10, 'capped by replicas');
  assert.equal(newReplicaSetReplicas(deployment(4, 1, 1, 'Recreate'), [rs(4)], rs(0)), 4);
});

test('replicaSetFraction scales by the ratio of the new to the annotated size', () => {
  const d = deployment(20, '25%', '25%');
  // 8 * 25 / 13 = 15.38 -> 15: +7.  3 * 25 / 13 = 5.77 -> 6: +3.
  assert.equal(replicaSetFraction(rs(8, 13), d), 7);
  assert.equal(replicaSetFraction(rs(3, 13), d), 3);
  assert.equal(replicaSetFraction(rs(3, 13), deployment(0, 1, 1)), -3);
});

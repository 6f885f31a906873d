// scheduling.k8s.io/v1 bodies by hand (field numbers from k8s.io/api/scheduling/v1/generated.proto):
// what `kubectl create priorityclass` sends. test/e2e/priority.test.ts runs the real kubectl.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeKubernetesProtobuf } from '../decode-object.js';
import { concat, envelope, ld, str, vint } from '../fixtures/proto-bytes.js';

describe('scheduling.k8s.io/v1 protobuf', () => {
  it('decodes a PriorityClass as kubectl create priorityclass sends it', () => {
    const body = envelope('scheduling.k8s.io/v1', 'PriorityClass', concat(
      ld(1, str(1, 'high')), vint(2, 1000), vint(3, 0), str(4, 'important'), str(5, 'Never'),
    ));
    assert.deepEqual(decodeKubernetesProtobuf(body), {
      apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' },
      value: 1000, description: 'important', preemptionPolicy: 'Never',
    });
  });

  it('keeps a zero value and a true globalDefault', () => {
    const body = envelope('scheduling.k8s.io/v1', 'PriorityClass', concat(ld(1, str(1, 'zero')), vint(2, 0), vint(3, 1)));
    assert.deepEqual(decodeKubernetesProtobuf(body), {
      apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'zero' }, value: 0, globalDefault: true,
    });
  });
});

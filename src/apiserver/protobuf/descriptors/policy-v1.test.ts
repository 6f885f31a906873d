// policy/v1 bodies by hand (field numbers from k8s.io/api/policy/v1/generated.proto): what
// `kubectl create pdb` and `kubectl drain` send. The e2e test (test/e2e/drain.test.ts) runs the
// real kubectl against the same descriptors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeKubernetesProtobuf } from '../decode-object.js';
import { concat, entry, envelope, ld, str, vint } from '../fixtures/proto-bytes.js';

describe('policy/v1 protobuf', () => {
  it('decodes a PodDisruptionBudget as kubectl create pdb sends it', () => {
    const body = envelope('policy/v1', 'PodDisruptionBudget', concat(ld(1, str(1, 'web')), ld(2,
      ld(1, vint(1, 1), str(3, '50%')),
      ld(2, entry(1, 'app', 'web')),
    )));
    assert.deepEqual(decodeKubernetesProtobuf(body), {
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' },
      spec: { minAvailable: '50%', selector: { matchLabels: { app: 'web' } } },
    });
  });

  it('decodes an Eviction with its DeleteOptions, in both versions', () => {
    for (const apiVersion of ['policy/v1', 'policy/v1beta1']) {
      const body = envelope(apiVersion, 'Eviction', concat(ld(1, str(1, 'web-1'), str(3, 'default')), ld(2,
        vint(1, 0),
        ld(2, str(1, 'uid-1')),
      )));
      assert.deepEqual(decodeKubernetesProtobuf(body), {
        apiVersion, kind: 'Eviction', metadata: { name: 'web-1', namespace: 'default' },
        deleteOptions: { gracePeriodSeconds: 0, preconditions: { uid: 'uid-1' } },
      });
    }
  });
});

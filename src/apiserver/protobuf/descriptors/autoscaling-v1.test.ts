// autoscaling/v1 HorizontalPodAutoscaler bodies as the real kubectl 1.32 sends them (captured with
// `kubectl autoscale ... -v=9` against k8ts). test/e2e/hpa-api.test.ts runs the same commands.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeKubernetesProtobuf } from '../decode-object.js';

const bytes = (...hex: string[]): Uint8Array => new Uint8Array(Buffer.from(hex.join(''), 'hex'));

/** kubectl autoscale deploy web --min=1 --max=3 --cpu-percent=50 */
const AUTOSCALE_WITH_CPU = bytes(
  '6b3873000a290a0e6175746f7363616c696e672f76311217486f72697a6f6e74616c506f644175746f7363616c6572123f0a',
  '130a0377656212001a0022002a0032003800420012220a1a0a0a4465706c6f796d656e7412037765621a07617070732f7631',
  '1001180320321a04180020001a002200',
);

/** kubectl autoscale deploy web --max=2 --name=web2 (no --min, no --cpu-percent) */
const AUTOSCALE_MAX_ONLY = bytes(
  '6b3873000a290a0e6175746f7363616c696e672f76311217486f72697a6f6e74616c506f644175746f7363616c6572123c0a',
  '140a047765623212001a0022002a00320038004200121e0a1a0a0a4465706c6f796d656e7412037765621a07617070732f76',
  '3118021a04180020001a002200',
);

describe('autoscaling/v1 protobuf', () => {
  it('decodes kubectl autoscale with --min and --cpu-percent', () => {
    assert.deepEqual(decodeKubernetesProtobuf(AUTOSCALE_WITH_CPU), {
      apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50 },
      status: { currentReplicas: 0, desiredReplicas: 0 },
    });
  });

  it('decodes kubectl autoscale with only --max: no minReplicas, no CPU target', () => {
    assert.deepEqual(decodeKubernetesProtobuf(AUTOSCALE_MAX_ONLY), {
      apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web2' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, maxReplicas: 2 },
      status: { currentReplicas: 0, desiredReplicas: 0 },
    });
  });
});

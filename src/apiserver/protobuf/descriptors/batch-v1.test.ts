// batch/v1 bodies as the real kubectl 1.32 sends them (captured with `kubectl -v=9` against k8ts;
// field numbers from k8s.io/api/batch/v1/generated.proto), plus hand-built ones for what kubectl's
// generators never set. test/e2e/batch-api.test.ts runs the real kubectl against the same code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeKubernetesProtobuf } from '../decode-object.js';
import { concat, envelope, ld, str, varint, vint } from '../fixtures/proto-bytes.js';

const bytes = (...hex: string[]): Uint8Array => new Uint8Array(Buffer.from(hex.join(''), 'hex'));

/** kubectl create job j3 --image=busybox -- echo hi */
const CREATE_JOB = bytes(
  '6b3873000a0f0a0862617463682f763112034a6f621284010a120a026a3312001a0022002a00320038004200126432620a10',
  '0a0012001a0022002a00320038004200124e122b0a026a33120762757379626f781a046563686f1a0268692a0042006a0072',
  '00800100880100900100a201001a054e65766572320042004a0052005800600068008201008a01009a0100c201001a082000',
  '280030003a001a002200',
);

// kubectl create cronjob c --image=busybox --schedule='*/5 * * * *' -- echo hi
const CREATE_CRONJOB = bytes(
  '6b3873000a130a0862617463682f7631120743726f6e4a6f6212a5010a110a016312001a0022002a00320038004200128d01',
  '0a0b2a2f35202a202a202a202a1a002a7c0a110a016312001a0022002a00320038004200126732650a100a0012001a002200',
  '2a003200380042001251122a0a0163120762757379626f781a046563686f1a0268692a0042006a0072008001008801009001',
  '00a201001a094f6e4661696c757265320042004a0052005800600068008201008a01009a0100c201001a001a002200',
);

/** kubectl create job j2 --from=cronjob/c (the CronJob's defaulted template, owner and annotation) */
const CREATE_JOB_FROM_CRONJOB = bytes(
  '6b3873000a0f0a0862617463682f763112034a6f6212b6020a7f0a026a3212001a0022002a00320038004200622b0a216372',
  '6f6e6a6f622e6b756265726e657465732e696f2f696e7374616e746961746512066d616e75616c6a3e0a0743726f6e4a6f62',
  '1a0163222437643632383664332d633661362d343633312d393438342d3030376165633037653938302a0862617463682f76',
  '31300112a80132a5010a100a0012001a0022002a0032003800420012900112480a0163120762757379626f781a046563686f',
  '1a0268692a0042006a142f6465762f7465726d696e6174696f6e2d6c6f677206416c77617973800100880100900100a20104',
  '46696c651a094f6e4661696c757265201e320c436c7573746572466972737442004a00520058006000680072008201008a01',
  '009a011164656661756c742d7363686564756c6572c201001a082000280030003a001a002200',
);

describe('batch/v1 protobuf', () => {
  it('decodes kubectl create job', () => {
    assert.deepEqual(decodeKubernetesProtobuf(CREATE_JOB), {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j3' },
      spec: { template: { metadata: {}, spec: { containers: [{ name: 'j3', image: 'busybox', command: ['echo', 'hi'], resources: {} }], restartPolicy: 'Never' } } },
      status: {},
    });
  });

  it('decodes kubectl create cronjob', () => {
    assert.deepEqual(decodeKubernetesProtobuf(CREATE_CRONJOB), {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' },
      spec: {
        schedule: '*/5 * * * *',
        jobTemplate: {
          metadata: { name: 'c' },
          spec: { template: { metadata: {}, spec: { containers: [{ name: 'c', image: 'busybox', command: ['echo', 'hi'], resources: {} }], restartPolicy: 'OnFailure' } } },
        },
      },
      status: {},
    });
  });

  it('decodes kubectl create job --from=cronjob', () => {
    const job = decodeKubernetesProtobuf(CREATE_JOB_FROM_CRONJOB);
    assert.deepEqual(job.metadata, {
      name: 'j2',
      annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'c', uid: '7d6286d3-c6a6-4631-9484-007aec07e980', controller: true }],
    });
    const spec = job['spec'] as { template: { spec: { restartPolicy: string; schedulerName: string } } };
    assert.deepEqual([spec.template.spec.restartPolicy, spec.template.spec.schedulerName], ['OnFailure', 'default-scheduler']);
  });

  it('keeps the zero of pointer fields and reads a packed exit-code list', () => {
    const onExitCodes = ld(2, str(2, 'In'), ld(3, varint(1), varint(42)));
    const body = envelope('batch/v1', 'Job', concat(ld(1, str(1, 'z')), ld(2,
      vint(1, 0), vint(7, 0), vint(10, false), vint(5, false), str(9, 'Indexed'), vint(2, 3),
      ld(11, ld(1, str(1, 'FailJob'), onExitCodes)),
    ), ld(3, vint(4, 0), vint(5, 2), vint(9, 0))));
    assert.deepEqual(decodeKubernetesProtobuf(body), {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'z' },
      spec: {
        parallelism: 0, backoffLimit: 0, suspend: false, manualSelector: false, completionMode: 'Indexed', completions: 3,
        podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1, 42] } }] },
      },
      status: { succeeded: 2, ready: 0 },
    });
  });
});

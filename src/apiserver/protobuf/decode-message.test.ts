import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError } from '../../lib/errors.js';
import { decodeMessage } from './decode-message.js';
import { deployment } from './descriptors/apps-v1.js';
import { secret } from './descriptors/core-v1.js';
import { podSpec } from './descriptors/core-v1-pod.js';
import { objectMeta } from './descriptors/meta-v1.js';
import type { MessageDescriptor } from './descriptors/message-descriptor.js';
import { concat, entry, ld, str, tag, varint, vint, type Bytes } from './fixtures/proto-bytes.js';
import { WireReader } from './wire-reader.js';

const decode = (descriptor: MessageDescriptor, ...parts: Bytes[]) =>
  decodeMessage(new WireReader({ bytes: concat(...parts) }), descriptor);

const intOrStringInt = (n: number) => concat(vint(1, 0), vint(2, n));
const intOrStringStr = (s: string) => concat(vint(1, 1), str(3, s));

void describe('decodeMessage: zero values', () => {
  void it('drops omitempty zeros but keeps pointer zeros that are on the wire', () => {
    // DeploymentSpec: replicas (pointer) = 0, minReadySeconds (omitempty) = 0, paused = false.
    const spec = concat(vint(1, 0), vint(5, 0), vint(7, false), vint(6, 0));
    assert.deepStrictEqual(decode(deployment, ld(2, spec)), { spec: { replicas: 0, revisionHistoryLimit: 0 } });
  });

  void it('keeps an empty nested message as {} and drops zero Time and int-0 IntOrString', () => {
    // ObjectMeta with name "", generation 0, creationTimestamp {} (Go's zero time on the wire).
    const meta = concat(str(1, ''), vint(7, 0), ld(8, vint(1, 0), vint(2, 0)));
    const strategy = ld(4, str(1, ''), ld(2, ld(1, intOrStringInt(0)), ld(2, intOrStringStr('30%'))));
    assert.deepStrictEqual(decode(deployment, ld(1, meta), ld(2, strategy), ld(3)), {
      metadata: {},
      // maxUnavailable is a pointer: its 0 is meaningful.
      spec: { strategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: '30%' } } },
      status: {},
    });
  });

  void it('keeps zeros inside repeated fields', () => {
    const container = concat(str(1, 'c'), str(4, ''), str(4, 'x'));
    assert.deepStrictEqual(decode(podSpec, ld(2, container)), { containers: [{ name: 'c', args: ['', 'x'] }] });
  });
});

void describe('decodeMessage: wire details', () => {
  void it('skips unknown fields of every wire type', () => {
    const unknown = concat(
      vint(99, 123456789), concat(tag(98, 1), new Uint8Array(8)), ld(97, str(1, 'nested')), concat(tag(96, 5), new Uint8Array(4)),
    );
    assert.deepStrictEqual(decode(objectMeta, unknown, str(1, 'kept'), unknown), { name: 'kept' });
  });

  void it('decodes negative int64 (ten-byte varint) and packed repeated int64', () => {
    const securityContext = concat(vint(2, -1), ld(4, varint(1000), varint(2000)), vint(4, 3000));
    assert.deepStrictEqual(decode(podSpec, ld(14, securityContext)), {
      securityContext: { runAsUser: -1, supplementalGroups: [1000, 2000, 3000] },
    });
  });

  void it('lets the last occurrence of a singular scalar win and merges repeated singular messages', () => {
    assert.deepStrictEqual(decode(objectMeta, str(1, 'a'), str(1, 'b')), { name: 'b' });
    assert.deepStrictEqual(decode(objectMeta, str(1, 'a'), str(1, '')), {});
    const spec = concat(ld(2, vint(1, 2)), ld(2, ld(3, ld(2, ld(2, str(1, 'c'))))));
    assert.deepStrictEqual(decode(deployment, spec), {
      spec: { replicas: 2, template: { spec: { containers: [{ name: 'c' }] } } },
    });
  });

  void it('turns map<string, bytes> into base64 and keeps hostile keys as plain properties', () => {
    const data = concat(
      ld(2, str(1, 'bin'), ld(2, Uint8Array.from([0, 255]))),
      ld(2, str(1, '__proto__'), ld(2, new TextEncoder().encode('x'))),
      ld(2, ld(2, new Uint8Array())), // no key: the empty string, as protobuf defines
    );
    const decoded = decode(secret, data);
    const map = decoded.data as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(map), Object.prototype);
    assert.deepStrictEqual(Object.keys(map), ['bin', '__proto__', '']);
    assert.equal(map.bin, 'AP8=');
    assert.equal(Object.getOwnPropertyDescriptor(map, '__proto__')?.value, 'eA==');
    assert.equal(map[''], '');
  });

  void it('flattens quantities inside resource maps and inlined embedded structs', () => {
    const quantity = (s: string) => ld(2, str(1, s));
    const resources = ld(8, ld(1, str(1, 'cpu'), quantity('100m')), ld(2, str(1, 'memory'), quantity('1Gi')));
    const probe = ld(10, ld(1, ld(3, ld(1, intOrStringStr('http')))), vint(4, 7));
    const volume = ld(1, str(1, 'v'), ld(2, ld(19, ld(1, str(1, 'cm')), vint(3, 420))));
    assert.deepStrictEqual(decode(podSpec, volume, ld(2, str(1, 'c'), resources, probe), entry(7, 'disk', 'ssd')), {
      volumes: [{ name: 'v', configMap: { name: 'cm', defaultMode: 420 } }],
      containers: [{
        name: 'c',
        resources: { limits: { cpu: '100m' }, requests: { memory: '1Gi' } },
        livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 7 },
      }],
      nodeSelector: { disk: 'ssd' },
    });
  });

  void it('formats Time as RFC 3339 seconds and rejects timestamps past year 9999', () => {
    assert.deepStrictEqual(decode(objectMeta, ld(8, vint(1, 0), vint(2, 999))), { creationTimestamp: '1970-01-01T00:00:00Z' });
    assert.deepStrictEqual(decode(objectMeta, ld(8, vint(1, -86400))), { creationTimestamp: '1969-12-31T00:00:00Z' });
    assert.throws(() => decode(objectMeta, ld(8, vint(1, 253402300800))), /outside years/);
  });

  void it('rejects a known field sent with the wrong wire type, naming it', () => {
    assert.throws(() => decode(objectMeta, vint(1, 5)), (err: unknown) => {
      assert.ok(err instanceof BadRequestError);
      assert.match(err.message, /k8s\.io\.apimachinery\.pkg\.apis\.meta\.v1\.ObjectMeta\.name has wire type varint, expected bytes/);
      return true;
    });
    assert.throws(() => decode(objectMeta, ld(11, vint(1, 3))), /map .*labels entry field 1 has wire type varint/);
  });
});

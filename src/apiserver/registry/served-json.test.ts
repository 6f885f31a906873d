import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KindInfo } from '../../api/kind-info.js';
import type { KubeObject } from '../../api/object.js';
import { decodeObject, decodeShared, encodeObject, withTypeAndVersion } from './object-codec.js';
import { closingBrace, noteServedJson, servedJson, servesAsStored } from './served-json.js';

const POD_INFO = { group: '', version: 'v1', kind: 'Pod' } as KindInfo;

function pod(metadata: Record<string, unknown>, rest: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata, ...rest };
}

const tricky = pod(
  {
    name: 'p',
    namespace: 'default',
    labels: { 'a}': '{"metadata":{', quote: 'say "hi" \\', slash: '\\\\"}' },
    annotations: { unicode: 'é ✓ \u2028 \ud83d\ude00', control: '\u0001\n\t', '1': 'integer-like key' },
    managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': {} } } } }],
  },
  { spec: { containers: [{ name: 'app', args: ['}', ']', '[{'], ports: [{ containerPort: 80 }] }], priority: -0.5e-7 }, status: {} },
);

describe('served JSON', () => {
  it('decodeShared objects serialize to their noted text, byte for byte', () => {
    for (const obj of [tricky, pod({ name: 'x' }), pod({}), pod({ name: 'x' }, { data: { a: [[], {}, [{}]] } })]) {
      const kv = { key: '/k', value: encodeObject(obj), modRevision: 42, createRevision: 42 };
      const shared = decodeShared(kv, POD_INFO);
      assert.ok(Object.isFrozen(shared));
      assert.deepEqual(shared, decodeObject(kv, POD_INFO));
      assert.equal(servedJson(shared), JSON.stringify(shared));
      // Asked again: the same text.
      assert.equal(servedJson(shared), JSON.stringify(shared));
    }
  });

  it('a create answer (written object plus resourceVersion) serializes to the noted text', () => {
    const stored = encodeObject(tricky);
    assert.ok(servesAsStored(tricky, POD_INFO, stored));
    const answer = withTypeAndVersion(tricky, POD_INFO, 7);
    noteServedJson(answer, stored, 7);
    assert.equal(servedJson(answer), JSON.stringify(answer));
  });

  it('is not used when the stored text is not the served object minus its resourceVersion', () => {
    const stored = encodeObject(tricky);
    // Another member order, another apiVersion or kind, a stored resourceVersion, other text.
    assert.equal(servesAsStored({ kind: 'Pod', apiVersion: 'v1', metadata: {} }, POD_INFO, stored), false);
    assert.equal(servesAsStored(pod({}), { ...POD_INFO, version: 'v2' }, stored), false);
    assert.equal(servesAsStored(pod({ resourceVersion: '3' }), POD_INFO, stored), false);
    assert.equal(servesAsStored(pod({}), POD_INFO, ` ${stored}`), false);
    const kv = { key: '/k', value: JSON.stringify(pod({ name: 'x', resourceVersion: '3' })), modRevision: 9, createRevision: 9 };
    const shared = decodeShared(kv, POD_INFO);
    assert.equal(servedJson(shared), undefined);
    assert.equal(shared.metadata?.resourceVersion, '9');
    assert.equal(servedJson({}), undefined);
    assert.equal(servedJson('text'), undefined);
  });

  it('finds the brace that closes an object, skipping strings and escapes', () => {
    const text = '{"a":{"b":"}\\"}","c":[{"d":"\\\\"}]},"e":1}';
    assert.equal(closingBrace(text, 5), text.indexOf(',"e"') - 1);
    assert.equal(closingBrace(text, 0), text.length - 1);
    assert.equal(closingBrace('{"a":"unterminated}', 0), -1);
    assert.equal(closingBrace('{"a":1', 0), -1);
  });
});

import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { KindInfo } from '../../api/kind-info.js';
import type { KubeObject } from '../../api/object.js';
import { decodeObject, deepFreeze, encodeObject, withTypeAndVersion } from './object-codec.js';

const DEPLOYMENTS = { group: 'apps', version: 'v1', kind: 'Deployment' } as KindInfo;

void it('decodeObject gives exactly what withTypeAndVersion over a parse gives, key order included', () => {
  const stored = [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a', labels: { x: '1' } }, spec: { replicas: 1 }, status: {} },
    { apiVersion: 'apps/v1beta1', kind: 'Old', metadata: { name: 'b', resourceVersion: '3', uid: 'u' }, spec: {} },
    { metadata: { name: 'c' }, kind: 'Deployment', apiVersion: 'apps/v1', spec: {} },
    { apiVersion: 'apps/v1', kind: 'Deployment', spec: {}, metadata: { name: 'd' } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: null, spec: {} },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: ['x'] },
    { 0: 'numeric first', apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'e' } },
    { apiVersion: 'apps/v1', kind: 'Deployment' },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'f' }, apiVersionAfter: 1 },
  ];
  for (const object of stored) {
    const value = JSON.stringify(object);
    const kv = { key: '/k', value, createRevision: 7, modRevision: 9 };
    const expected = withTypeAndVersion(JSON.parse(value) as KubeObject, DEPLOYMENTS, 9);
    const decoded = decodeObject(kv, DEPLOYMENTS);
    assert.equal(JSON.stringify(decoded), JSON.stringify(expected), value);
    assert.deepEqual(decoded, expected, value);
  }
  // A kind stored in another resource's shape goes through its mapping as before.
  const storage = { group: 'apps', resource: 'deployments', toStorage: (o: KubeObject) => o, fromStorage: (o: KubeObject) => ({ ...o, spec: { mapped: true } }) };
  const value = encodeObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'm', resourceVersion: '5' }, spec: {} });
  assert.deepEqual(decodeObject({ key: '/k', value, createRevision: 1, modRevision: 2 }, DEPLOYMENTS, storage), {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'm', resourceVersion: '2' }, spec: { mapped: true },
  });
});

void it('deepFreeze freezes every object and array all the way down and leaves primitives alone', () => {
  const value = JSON.parse('{"a":{"b":[1,{"c":[[{"d":null}]]},"s"]},"e":[],"f":null,"g":0,"h":"x"}') as {
    a: { b: [number, { c: [[{ d: null }]] }, string] }; e: unknown[];
  };
  assert.equal(deepFreeze(value), value);
  for (const inner of [value, value.a, value.a.b, value.a.b[1], value.a.b[1].c, value.a.b[1].c[0], value.a.b[1].c[0][0], value.e]) {
    assert.ok(Object.isFrozen(inner));
  }
  assert.throws(() => {
    (value.a.b[1].c[0][0] as { d: unknown }).d = 1;
  }, TypeError);
  assert.equal(deepFreeze(null), null);
  assert.equal(deepFreeze('x'), 'x');
  assert.equal(deepFreeze(3), 3);
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { genericObjectType, rootTypeFor, type ObjectType } from '../../api/patch-meta.js';
import { changedFields } from './field-changes.js';
import type { JsonObject } from './json-value.js';

const POD = rootTypeFor({ group: '', version: 'v1', kind: 'Pod' }) as ObjectType;

function diff(before: JsonObject | undefined, after: JsonObject, root = genericObjectType, scope: 'main' | 'status' = 'main') {
  const { changed, removed } = changedFields(before, after, root, scope);
  return { changed: changed.toFieldsV1(), removed: removed.toFieldsV1() };
}

describe('changedFields', () => {
  it('a map that went is removed with everything in it; a map emptied stays', () => {
    assert.deepEqual(diff({ data: { a: '1', b: '2' } }, {}), { changed: {}, removed: { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} } } });
    assert.deepEqual(diff({ data: { a: '1' } }, { data: {} }), { changed: {}, removed: { 'f:data': { 'f:a': {} } } });
  });

  it('an empty map is a leaf a map can grow from; an empty granular list sets nothing', () => {
    assert.deepEqual(diff({ spec: { sc: {} } }, { spec: { sc: { runAsUser: 1 } } }).changed, { 'f:spec': { 'f:sc': { 'f:runAsUser': {} } } });
    assert.deepEqual(diff(undefined, { spec: { containers: [{ name: 'c', volumeMounts: [] }] } }, POD).changed, {
      'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:name': {} } } },
    });
  });

  it('a value replaced by a map: the field changed and the map brought its keys', () => {
    assert.deepEqual(diff({ spec: { x: 1 } }, { spec: { x: { y: 2 } } }), { changed: { 'f:spec': { 'f:x': { '.': {}, 'f:y': {} } } }, removed: {} });
  });

  it('list items are matched by key, first occurrence winning; a changed item owns only its changed fields', () => {
    const before = { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } };
    const after = { spec: { containers: [{ name: 'b', image: 'z' }, { name: 'b', image: 'ignored' }, { name: 'c', image: 'w' }] } };
    assert.deepEqual(diff(before, after, POD), {
      changed: { 'f:spec': { 'f:containers': { 'k:{"name":"b"}': { 'f:image': {} }, 'k:{"name":"c"}': { '.': {}, 'f:name': {}, 'f:image': {} } } } },
      removed: { 'f:spec': { 'f:containers': { 'k:{"name":"a"}': { '.': {}, 'f:name': {}, 'f:image': {} } } } },
    });
  });

  it('the status scope sees only status; a zero-value struct is never added or removed itself', () => {
    const before = { spec: { nodeName: 'n1' }, status: { phase: 'Pending' } };
    const after = { spec: { nodeName: 'n2' }, status: { phase: 'Running' } };
    assert.deepEqual(diff(before, after, POD, 'status'), { changed: { 'f:status': { 'f:phase': {} } }, removed: {} });
    assert.deepEqual(diff({ spec: { nodeName: 'n1' } }, {}, POD), { changed: {}, removed: { 'f:spec': { 'f:nodeName': {} } } });
    assert.deepEqual(diff(undefined, { metadata: { name: 'p', labels: { a: 'b' } } }, POD).changed, { 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } } });
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet, formatFieldPath } from './field-set.js';
import { PatchError } from './patch-error.js';

const FIELDS = {
  'f:spec': {
    'f:replicas': {},
    'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {} } } } },
  },
  'f:metadata': { 'f:finalizers': { 'v:"a"': {} } },
};

void describe('FieldSet', () => {
  void it('round-trips FieldsV1, including "." for members with children', () => {
    const set = FieldSet.fromFieldsV1(FIELDS);
    assert.deepEqual(set.toFieldsV1(), FIELDS);
    assert.equal(set.has(['f:spec', 'f:replicas']), true);
    assert.equal(set.has(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"nginx"}']), true);
    assert.equal(set.has(['f:spec', 'f:template']), false, 'a parent of members is not itself a member');
    assert.equal(set.hasAtOrBelow(['f:spec', 'f:template']), true);
  });

  void it('does set algebra member by member and drops emptied branches', () => {
    const a = FieldSet.fromFieldsV1({ 'f:spec': { 'f:replicas': {}, 'f:paused': {} } });
    const b = FieldSet.fromFieldsV1({ 'f:spec': { 'f:replicas': {} }, 'f:metadata': { 'f:labels': { 'f:x': {} } } });
    assert.deepEqual(a.difference(b).toFieldsV1(), { 'f:spec': { 'f:paused': {} } });
    assert.deepEqual(a.intersection(b).toFieldsV1(), { 'f:spec': { 'f:replicas': {} } });
    assert.deepEqual(a.union(b).toFieldsV1(), { 'f:spec': { 'f:replicas': {}, 'f:paused': {} }, 'f:metadata': { 'f:labels': { 'f:x': {} } } });
    assert.equal(a.difference(a).isEmpty(), true);
    assert.deepEqual(a.paths(), [['f:spec', 'f:replicas'], ['f:spec', 'f:paused']]);
  });

  void it('encodes a decoded set as it came only when that was already the canonical form', () => {
    const canonical = { 'f:spec': { 'f:containers': { 'k:{"name":"a"}': { '.': {}, 'f:image': {} } } } };
    assert.deepEqual(FieldSet.fromFieldsV1(canonical).toFieldsV1(), canonical);
    // `.` not first, `.` alone, `.` with content: re-encoded canonically.
    assert.deepEqual(JSON.stringify(FieldSet.fromFieldsV1({ 'f:a': { 'f:b': {}, '.': {} } }).toFieldsV1()), '{"f:a":{".":{},"f:b":{}}}');
    assert.deepEqual(FieldSet.fromFieldsV1({ 'f:a': { '.': {} } }).toFieldsV1(), { 'f:a': {} });
    assert.deepEqual(FieldSet.fromFieldsV1({ 'f:a': { '.': { x: 1 }, 'f:b': {} } }).toFieldsV1(), { 'f:a': { '.': {}, 'f:b': {} } });
    const set = FieldSet.fromFieldsV1(canonical);
    set.insert(['f:metadata', 'f:labels']);
    assert.deepEqual(set.toFieldsV1(), { ...canonical, 'f:metadata': { 'f:labels': {} } }, 'insert drops the kept encoding');
  });

  void it('tells whether two sets share a member', () => {
    const a = FieldSet.fromFieldsV1({ 'f:spec': { 'f:replicas': {}, 'f:template': { 'f:x': {} } } });
    assert.equal(a.intersects(FieldSet.fromFieldsV1({ 'f:spec': { 'f:template': { 'f:x': {} } } })), true);
    assert.equal(a.intersects(FieldSet.fromFieldsV1({ 'f:spec': { 'f:template': { 'f:y': {} } } })), false);
    assert.equal(a.intersects(FieldSet.fromFieldsV1({ 'f:status': { 'f:phase': {} } })), false);
    assert.equal(a.intersects(new FieldSet()), false);
  });

  void it('rejects malformed fieldsV1', () => {
    assert.throws(() => FieldSet.fromFieldsV1({ spec: {} }), PatchError);
    assert.throws(() => FieldSet.fromFieldsV1([]), PatchError);
  });
});

void describe('formatFieldPath', () => {
  void it('prints paths the way upstream conflict messages do', () => {
    assert.equal(formatFieldPath(['f:spec', 'f:replicas']), '.spec.replicas');
    assert.equal(formatFieldPath(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"nginx"}', 'f:image']), '.spec.template.spec.containers[name="nginx"].image');
    assert.equal(formatFieldPath(['f:metadata', 'f:labels', 'f:app']), '.metadata.labels.app');
    assert.equal(formatFieldPath(['f:spec', 'f:ports', 'k:{"port":80,"protocol":"TCP"}']), '.spec.ports[port=80,protocol="TCP"]');
    assert.equal(formatFieldPath(['f:metadata', 'f:finalizers', 'v:"x"']), '.metadata.finalizers[="x"]');
    assert.equal(formatFieldPath(['f:spec', 'f:args', 'i:0']), '.spec.args[0]');
  });
});

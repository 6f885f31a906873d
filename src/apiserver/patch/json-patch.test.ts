import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch } from './json-patch.js';
import { PatchError } from './patch-error.js';

void describe('applyJsonPatch', () => {
  void it('applies the rollout-undo body (§3.11) without touching the input', () => {
    const live = {
      metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '3' } },
      spec: { replicas: 2, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } } },
    };
    const before = structuredClone(live);
    const template = { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } };
    const out = applyJsonPatch(live, [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '2' } },
    ]) as typeof live;
    assert.deepEqual(out.spec.template, template);
    assert.equal(out.metadata.annotations['deployment.kubernetes.io/revision'], '2');
    assert.equal(out.spec.replicas, 2);
    assert.deepEqual(live, before);
  });

  void it('adds with "-" and indexes, removes, moves, copies, and decodes ~0 ~1', () => {
    const doc = { list: [1, 2], 'a/b': { 'c~d': 1 } };
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/list/-', value: 3 },
      { op: 'add', path: '/list/0', value: 0 },
      { op: 'remove', path: '/list/1' },
      { op: 'copy', from: '/a~1b/c~0d', path: '/copied' },
      { op: 'move', from: '/a~1b', path: '/moved' },
      { op: 'test', path: '/list', value: [0, 2, 3] },
    ]);
    assert.deepEqual(out, { list: [0, 2, 3], copied: 1, moved: { 'c~d': 1 } });
  });

  void it('replaces the whole document with an empty path', () => {
    assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }]), { b: 2 });
  });

  void it('fails on missing paths, a failed test, bad ops and bad indexes', () => {
    const doc = { a: { b: 1 }, list: [1] };
    for (const ops of [
      [{ op: 'replace', path: '/a/missing', value: 1 }],
      [{ op: 'remove', path: '/nope' }],
      [{ op: 'add', path: '/x/y', value: 1 }],
      [{ op: 'test', path: '/a/b', value: 2 }],
      [{ op: 'add', path: '/list/5', value: 1 }],
      [{ op: 'add', path: '/list/01', value: 1 }],
      [{ op: 'frobnicate', path: '/a' }],
      [{ op: 'add', path: '/a' }],
      [{ op: 'move', from: '/a', path: '/a/b/c' }],
      { op: 'add', path: '/a', value: 1 },
    ]) {
      assert.throws(() => applyJsonPatch(doc, ops), PatchError, JSON.stringify(ops));
    }
  });

  void it('is atomic: an operation failing later leaves the input as it was', () => {
    const doc = { a: 1 };
    assert.throws(() => applyJsonPatch(doc, [{ op: 'add', path: '/b', value: 2 }, { op: 'remove', path: '/zz' }]), PatchError);
    assert.deepEqual(doc, { a: 1 });
  });
});

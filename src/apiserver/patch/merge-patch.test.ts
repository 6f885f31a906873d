import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch } from './merge-patch.js';

void describe('applyMergePatch', () => {
  void it('applies kubectl scale and label bodies: nested merge, null deletes', () => {
    const doc = { metadata: { labels: { app: 'web', tier: 'x' } }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } } } };
    const before = structuredClone(doc);
    const out = applyMergePatch(doc, { metadata: { labels: { tier: null, env: 'prod' } }, spec: { replicas: 4 } });
    assert.deepEqual(out, { metadata: { labels: { app: 'web', env: 'prod' } }, spec: { replicas: 4, selector: { matchLabels: { app: 'web' } } } });
    assert.deepEqual(doc, before);
  });

  void it('replaces arrays and scalars, and builds missing objects', () => {
    assert.deepEqual(applyMergePatch({ a: [1, 2], b: 'x' }, { a: [3], b: { c: 1 }, d: { e: null, f: 1 } }), { a: [3], b: { c: 1 }, d: { f: 1 } });
    assert.deepEqual(applyMergePatch({ a: 1 }, ['x']), ['x']);
  });

  void it('returns a result that shares nothing with the input', () => {
    const doc = { spec: { template: { labels: { a: '1' } } } };
    const out = applyMergePatch(doc, { other: 1 }) as typeof doc;
    out.spec.template.labels.a = 'changed';
    assert.equal(doc.spec.template.labels.a, '1');
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findJsonPath } from './json-path.js';

const doc = { data: { ok: true, 'rate-1m': 0.9, items: [{ name: 'a', v: 1 }, { name: 'b', v: 2 }], nested: { v: 3 } } };

describe('findJsonPath (Kubernetes JSONPath subset)', () => {
  it('selects fields with and without $', () => {
    assert.deepEqual(findJsonPath(doc, '{$.data.ok}'), [true]);
    assert.deepEqual(findJsonPath(doc, '{.data.ok}'), [true]);
    assert.deepEqual(findJsonPath(doc, '$.data.ok'), [true]);
    assert.deepEqual(findJsonPath(doc, '{$}'), [doc]);
    assert.deepEqual(findJsonPath(doc, "{.data['rate-1m']}"), [0.9]);
    assert.deepEqual(findJsonPath(doc, '{.data.rate-1m}'), [0.9]);
  });
  it('indexes, wildcards, recursive descent and filters', () => {
    assert.deepEqual(findJsonPath(doc, '{.data.items[1].v}'), [2]);
    assert.deepEqual(findJsonPath(doc, '{.data.items[-1].name}'), ['b']);
    assert.deepEqual(findJsonPath(doc, '{.data.items[*].v}'), [1, 2]);
    assert.deepEqual(findJsonPath(doc, '{..v}').sort(), [1, 2, 3]);
    assert.deepEqual(findJsonPath(doc, '{.data.items[?(@.v > 1)].name}'), ['b']);
    assert.deepEqual(findJsonPath(doc, "{.data.items[?(@.name == 'a')].v}"), [1]);
  });
  it('finds nothing on a missing path and refuses what it does not support', () => {
    assert.deepEqual(findJsonPath(doc, '{.data.nope.x}'), []);
    assert.deepEqual(findJsonPath(doc, '{.data.items[5]}'), []);
    assert.throws(() => findJsonPath(doc, '{.data.items[0:1]}'), /unsupported jsonPath expression/);
    assert.throws(() => findJsonPath(doc, 'value: {.data.ok}'), /text outside/);
  });
});

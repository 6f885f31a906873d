import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloneJson, jsonEqual } from './json-value.js';

describe('cloneJson', () => {
  it('copies plain JSON deeply: the copy shares nothing with the original', () => {
    const original = { a: 1, s: 'x', t: true, n: null, list: [{ type: 'Ready', status: 'True' }, [1, 2]], nested: { deeper: { k: 'v' } } };
    const copy = cloneJson(original);
    assert.deepEqual(copy, original);
    assert.notEqual(copy.list, original.list);
    assert.notEqual(copy.list[0], original.list[0]);
    assert.notEqual(copy.nested.deeper, original.nested.deeper);
    copy.nested.deeper.k = 'changed';
    (copy.list[0] as { status: string }).status = 'False';
    assert.equal(original.nested.deeper.k, 'v');
    assert.equal((original.list[0] as { status: string }).status, 'True');
  });

  it('returns primitives and undefined as they are', () => {
    for (const value of ['s', 0, 1.5, true, false, null, undefined]) assert.equal(cloneJson(value), value);
  });

  it('keeps an own __proto__ key a key (as JSON.parse made it), never the prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as Record<string, unknown>;
    const copy = cloneJson(parsed);
    assert.equal(Object.getPrototypeOf(copy), Object.prototype);
    assert.equal((copy as { polluted?: boolean }).polluted, undefined);
    assert.deepEqual(Object.keys(copy), ['__proto__', 'x']);
    assert.ok(jsonEqual(copy, parsed));
  });

  it('copies what is not plain JSON (a Buffer from YAML !!binary) with structuredClone', () => {
    const original = { data: Buffer.from('hi') };
    const copy = cloneJson(original);
    assert.notEqual(copy.data, original.data);
    assert.equal(Buffer.from(copy.data).toString(), 'hi');
  });
});

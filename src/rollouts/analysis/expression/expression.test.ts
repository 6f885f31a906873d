import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ExpressionError } from '../analysis-errors.js';
import { compileExpression, evaluateCondition } from './expression.js';

const value = (source: string, result?: unknown): unknown => compileExpression(source).evaluate({ result });
const error = (source: string, result?: unknown): string => {
  try {
    value(source, result);
  } catch (e) {
    assert.ok(e instanceof ExpressionError, `expected ExpressionError, got ${String(e)}`);
    return e.message;
  }
  assert.fail(`${source} did not throw`);
};

describe('expression: what users write in Argo conditions', () => {
  it('reads result, indexes and fields', () => {
    assert.equal(evaluateCondition('result[0] >= 0.95', [0.97]), true);
    assert.equal(evaluateCondition('result[0] >= 0.95', [0.9]), false);
    assert.equal(evaluateCondition('result.data.ok == true', { data: { ok: true } }), true);
    assert.equal(evaluateCondition('result["data"]["ok"]', { data: { ok: true } }), true);
    assert.equal(evaluateCondition('(result.requests_made * result.requests_succeeded / 100) >= 90', { requests_made: 100, requests_succeeded: 95 }), true);
    assert.equal(value('result[-1]', [1, 2, 3]), 3);
    assert.equal(value('result.missing', {}), null);
    assert.equal(value('result?.a?.b', null), null);
  });

  it('compares numbers, strings, booleans and nil', () => {
    assert.equal(value('1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 3'), true);
    assert.equal(value('"abc" < "abd"'), true);
    assert.equal(value('result == "ok"', 'ok'), true);
    assert.equal(value('result != nil', 0), true);
    assert.equal(value('1 == 1.0'), true);
    assert.equal(value('[1, {"a": 2}] == result', [1, { a: 2 }]), true);
    assert.equal(value('1 == "1"'), false);
  });

  it('has && || ! and or not with expr-lang precedence', () => {
    assert.equal(value('true || false && false'), true);
    assert.equal(value('(true || false) && false'), false);
    assert.equal(value('not false and true'), true);
    assert.equal(value('!true or true'), true);
    assert.equal(value('!(1 > 2)'), true);
    // `not` binds looser than arithmetic but tighter than comparison: (not a) == b.
    assert.equal(value('not true == false'), true);
  });

  it('does arithmetic like expr-lang', () => {
    assert.equal(value('1 + 2 * 3'), 7);
    assert.equal(value('(1 + 2) * 3'), 9);
    assert.equal(value('5 / 2'), 2.5);
    assert.equal(value('7 % 3'), 1);
    assert.equal(value('2 ** 3 ** 2'), 512);
    assert.equal(value('-2 ** 2'), -4);
    assert.equal(value('10 - 2 - 3'), 5);
    assert.equal(value('1 / 0'), Infinity);
    assert.equal(value('"a" + "b"'), 'ab');
    assert.equal(value('1_000 + 0x10 + .5 + 1e2'), 1116.5);
  });

  it('has the functions conditions use', () => {
    assert.equal(value('len(result)', [1, 2]), 2);
    assert.equal(value('len("héllo")'), 5);
    assert.equal(value('len(result)', { a: 1 }), 1);
    assert.equal(value('isNaN(result)', NaN), true);
    assert.equal(value('isInf(result)', -Infinity), true);
    assert.equal(value('asInt("42") + asInt(3.9)'), 45);
    assert.equal(value('asFloat("1.5") + asFloat(1)'), 2.5);
    assert.equal(value('default(result, 5)', null), 5);
    assert.equal(value('default(result, 5)', 3), 3);
    assert.equal(value('default(result[0], 0.99)', []), 0.99);
    assert.equal(value('isNil(result)', null), true);
    assert.equal(value('min(3, 1, 2) + max(result)', [4, 9]), 10);
    assert.equal(value('sum(result) / len(result)', [1, 2, 3]), 2);
    assert.equal(value('median(result)', [1, 5, 2, 8]), 3.5);
    assert.equal(value('round(-2.5)'), -3);
    assert.equal(value('lower("AbC") + upper("x")'), 'abcX');
  });

  it('has all/any/none/one/filter/map/count with {#} and bare predicates', () => {
    assert.equal(value('all(result, {# > 0.9})', [0.95, 0.91]), true);
    assert.equal(value('all(result, {# > 0.9})', [0.95, 0.2]), false);
    assert.equal(value('any(result, # < 0.5)', [0.9, 0.4]), true);
    assert.equal(value('none(result, # < 0)', [1]), true);
    assert.equal(value('one(result, # == 1)', [1, 2, 1]), false);
    assert.deepEqual(value('filter(result, .x > 1)', [{ x: 1 }, { x: 2 }]), [{ x: 2 }]);
    assert.deepEqual(value('map(result, #.x * 2)', [{ x: 1 }, { x: 2 }]), [2, 4]);
    assert.equal(value('count(result, # > 1)', [1, 2, 3]), 2);
    assert.deepEqual(value('map(result, #index)', ['a', 'b']), [0, 1]);
    assert.equal(value('all(result, {all(#, # > 0)})', [[1], [2, 3]]), true);
  });

  it('has in, not in, contains, startsWith, endsWith, ternary and ??', () => {
    assert.equal(value('"a" in ["a", "b"]'), true);
    assert.equal(value('1 not in [2]'), true);
    assert.equal(value('"k" in result', { k: 1 }), true);
    assert.equal(value('result contains "ell"', 'hello'), true);
    assert.equal(value('result startsWith "he" and result endsWith "lo"', 'hello'), true);
    assert.equal(value('result > 1 ? "big" : "small"', 3), 'big');
    assert.equal(value('result.x ?? 7', {}), 7);
  });

  it('decodes string escapes and raw strings', () => {
    assert.equal(value('"a\\"b\\n\\u00e9"'), 'a"b\né');
    assert.equal(value("'it\\'s'"), "it's");
    assert.equal(value('`raw\\n`'), 'raw\\n');
  });
});

describe('expression: typed, clear errors', () => {
  it('reports syntax errors with the token and its position', () => {
    assert.equal(error('result > > 1'), 'unexpected token Operator(">") (1:10)');
    assert.equal(error('result >'), 'unexpected end of expression (1:9)');
    assert.equal(error('(1'), 'unexpected end of expression (1:3)');
    assert.equal(error('1 2'), 'unexpected token Number("2") (1:3)');
    assert.equal(error('"abc'), 'literal not terminated (1:1)');
    assert.match(error('1 @ 2'), /^unrecognized character: U\+0040 '@' \(1:3\)$/);
    assert.equal(error(''), 'unexpected end of expression (1:1)');
    assert.match(error('result matches "x"'), /operator matches is not supported/);
  });

  it('rejects unknown names and functions at compile time, even in branches never taken', () => {
    assert.equal(error('foo > 1'), 'unknown name foo (1:1)');
    assert.equal(error('true || bar(1)'), 'unknown func bar (1:9)');
    assert.match(error('#'), /cannot use pointer accessor outside predicate/);
  });

  it('reports type errors instead of coercing', () => {
    assert.equal(error('result[0] > "a"', [1]), 'invalid operation: > (mismatched types number and string) (1:11)');
    assert.match(error('result && true', 1), /invalid operation: && \(mismatched types number and bool\)/);
    assert.match(error('!result', 1), /invalid operation: !/);
    assert.match(error('result[0]', []), /index out of range: 0 \(array length is 0\)/);
    assert.match(error('result.a.b', {}), /cannot fetch "b" from nil/);
    assert.match(error('1 % 0'), /integer divide by zero/);
    assert.match(error('asInt("x")'), /strconv.ParseInt: parsing "x": invalid syntax/);
    assert.match(error('len(1)'), /invalid argument for len \(type number\)/);
    assert.throws(() => evaluateCondition('result', 1), /expected bool, but got number/);
  });

  it('never reaches JS internals through member access', () => {
    assert.equal(value('result.constructor', {}), null);
    assert.equal(value('result.__proto__', {}), null);
    assert.equal(value('result.toString', {}), null);
    assert.match(error('result.constructor', []), /cannot use "constructor" as index to array/);
  });
});

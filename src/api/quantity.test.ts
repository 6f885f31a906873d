import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError } from '../lib/errors.js';
import { formatDecimalQuantity, parseQuantity, tryParseQuantity } from './quantity.js';

test('decimal SI suffixes', () => {
  assert.equal(parseQuantity('100m'), 0.1);
  assert.equal(parseQuantity('2'), 2);
  assert.equal(parseQuantity('1k'), 1000);
  assert.equal(parseQuantity('1M'), 1e6);
  assert.equal(parseQuantity('3G'), 3e9);
  assert.equal(parseQuantity('1E'), 1e18);
  assert.equal(parseQuantity('5n'), 5e-9);
});

test('binary suffixes', () => {
  assert.equal(parseQuantity('1Ki'), 1024);
  assert.equal(parseQuantity('128Mi'), 134217728);
  assert.equal(parseQuantity('1Gi'), 1073741824);
  assert.equal(parseQuantity('1.5Gi'), 1610612736);
});

test('exponents, signs, fractions and JSON numbers', () => {
  assert.equal(parseQuantity('1e3'), 1000);
  assert.equal(parseQuantity('12E-1'), 1.2);
  assert.equal(parseQuantity('-1'), -1);
  assert.equal(parseQuantity('+.5'), 0.5);
  assert.equal(parseQuantity(0.25), 0.25);
});

test('invalid quantities', () => {
  for (const bad of ['', 'abc', '1Kb', '1 Gi', '1..2', 'Gi', '1e', '--1']) {
    assert.equal(tryParseQuantity(bad), undefined, bad);
  }
  assert.throws(() => parseQuantity('1xyz'), (err: unknown) => err instanceof BadRequestError && /quantities must match/.test(err.message));
});

test('repeated and many distinct texts parse the same as the first time (the parse cache)', () => {
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 1500; i++) assert.equal(tryParseQuantity(`${i}Mi`), i * 2 ** 20);
    assert.equal(tryParseQuantity('100m'), 0.1);
    assert.equal(tryParseQuantity('-100m'), -0.1);
    assert.equal(tryParseQuantity('1xyz'), undefined);
    assert.equal(tryParseQuantity(`${'1'.repeat(40)}k`), Number(`${'1'.repeat(40)}e3`));
  }
});

describe('formatDecimalQuantity', () => {
  it('writes the largest suffix that keeps the number whole, from the unit given', () => {
    assert.equal(formatDecimalQuantity(1500, 'm'), '1500m');
    assert.equal(formatDecimalQuantity(2000, 'm'), '2');
    assert.equal(formatDecimalQuantity(200_000_000_000, 'm'), '200M');
    assert.equal(formatDecimalQuantity(5_000_000, 'n'), '5m');
    assert.equal(formatDecimalQuantity(1_234_567, 'n'), '1234567n');
    assert.equal(formatDecimalQuantity(0, 'n'), '0');
    assert.equal(formatDecimalQuantity(2.6, ''), '3');
  });
});

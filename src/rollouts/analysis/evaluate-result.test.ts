import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateResult } from './evaluate-result.js';

describe('evaluateResult: conditions to a measurement phase', () => {
  const S = 'result >= 0.99';
  const F = 'result < 0.9';
  it('no conditions: any value is Successful', () => {
    assert.deepEqual(evaluateResult(0, {}), { phase: 'Successful' });
  });
  it('only successCondition: not met is Failed', () => {
    assert.equal(evaluateResult(0.995, { successCondition: S }).phase, 'Successful');
    assert.equal(evaluateResult(0.95, { successCondition: S }).phase, 'Failed');
  });
  it('only failureCondition: not met is Successful', () => {
    assert.equal(evaluateResult(0.5, { failureCondition: F }).phase, 'Failed');
    assert.equal(evaluateResult(0.95, { failureCondition: F }).phase, 'Successful');
  });
  it('both: failure wins, neither is Inconclusive', () => {
    assert.equal(evaluateResult(0.995, { successCondition: S, failureCondition: F }).phase, 'Successful');
    assert.equal(evaluateResult(0.5, { successCondition: S, failureCondition: F }).phase, 'Failed');
    assert.equal(evaluateResult(0.95, { successCondition: S, failureCondition: F }).phase, 'Inconclusive');
    assert.equal(evaluateResult(1, { successCondition: 'true', failureCondition: 'true' }).phase, 'Failed');
  });
  it('an evaluation problem is an Error that names the condition', () => {
    assert.deepEqual(evaluateResult('x', { successCondition: 'result > 1' }), {
      phase: 'Error', message: 'could not evaluate successCondition "result > 1": invalid operation: > (mismatched types string and number) (1:8)',
    });
    assert.match(evaluateResult(1, { failureCondition: 'result >' }).message!, /^could not evaluate failureCondition "result >": unexpected end of expression/);
    assert.match(evaluateResult(null, { successCondition: 'result > 1' }).message!, /metric result is nil or empty: no data returned from the metric provider/);
    assert.match(evaluateResult(1, { successCondition: 'result + 1' }).message!, /expected bool, but got number/);
  });
});

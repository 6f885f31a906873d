import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { makePod } from '../testing/fixtures.js';
import { pickNodeForPreemption } from './pick-node.js';

const victim = (priority: number, startTime = '2026-01-01T00:00:00Z'): Pod => ({ ...makePod(`v${priority}`, { spec: { priority } }), status: { startTime } });
const candidate = (nodeName: string, victims: Pod[], budgetViolations = 0) => ({ kind: 'victims' as const, nodeName, victims, budgetViolations });

describe('pickNodeForPreemption', () => {
  it('applies upstream rules in order', () => {
    const pick = (...c: ReturnType<typeof candidate>[]) => pickNodeForPreemption(c)?.nodeName;
    assert.equal(pick(candidate('a', [victim(1)], 1), candidate('b', [victim(5), victim(5)], 0)), 'b', 'fewest budget violations');
    assert.equal(pick(candidate('a', [victim(5)]), candidate('b', [victim(1), victim(2)])), 'b', 'lowest most important victim');
    assert.equal(pick(candidate('a', [victim(2), victim(2)]), candidate('b', [victim(2), victim(1)])), 'b', 'smallest priority sum');
    assert.equal(pick(candidate('a', [victim(-5), victim(-5)]), candidate('b', [victim(-5)])), 'b', 'negative priorities: fewer is still better');
    assert.equal(pick(candidate('a', [victim(3, '2026-01-01T00:00:00Z')]), candidate('b', [victim(3, '2026-01-05T00:00:00Z')])), 'b', 'youngest victims');
    assert.equal(pick(candidate('a', [victim(3)]), candidate('b', [victim(3)])), 'a', 'first one');
    assert.equal(pick(candidate('a', [victim(1)]), candidate('b', [])), 'b', 'no victims at all');
    assert.equal(pickNodeForPreemption([]), undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { CycleState } from '../framework/cycle-state.js';
import { Nominator } from '../framework/nominator.js';
import { podKey } from '../framework/pod-key.js';
import { defaultProfile } from '../plugins/default-plugins.js';
import { makeNode, makePod, nodeInfoWith } from '../testing/fixtures.js';
import { budgetViews, splitByBudgetViolation } from './pdb-violation.js';
import { selectVictimsOnNode, type VictimSearch } from './select-victims.js';

const filters = defaultProfile().filters;

function search(extra: Partial<VictimSearch> = {}): VictimSearch {
  return { filters, state: new CycleState(), nominated: undefined, budgets: [], ...extra };
}

function pod(name: string, priority: number, cpu: string, extra: { labels?: Record<string, string>; startTime?: string } = {}): Pod {
  const p = makePod(name, { cpu, spec: { priority }, ...(extra.labels ? { labels: extra.labels } : {}) });
  return extra.startTime ? { ...p, status: { startTime: extra.startTime } } : p;
}

const names = (pods: readonly Pod[]): string[] => pods.map((p) => p.metadata?.name ?? '');

describe('selectVictimsOnNode', () => {
  it('evicts the least important pods only, and restores the node', () => {
    // 2 cpu: low-1 (1 cpu, prio 10) and low-2 (1 cpu, prio 5); the preemptor wants 1 cpu.
    const info = nodeInfoWith(makeNode('n', { cpu: '2' }), pod('low-1', 10, '1'), pod('low-2', 5, '1'));
    const result = selectVictimsOnNode(pod('high', 100, '1'), info, search());
    assert.equal(result.kind, 'victims');
    assert.deepEqual(result.kind === 'victims' ? names(result.victims) : [], ['low-2']);
    assert.equal(result.kind === 'victims' ? result.budgetViolations : -1, 0);
    assert.deepEqual([...info.pods.keys()].sort(), ['default/low-1', 'default/low-2']);
    assert.equal(info.requested.milliCpu, 2000);
  });

  it('never evicts pods of equal or higher priority', () => {
    const info = nodeInfoWith(makeNode('n', { cpu: '2' }), pod('same', 100, '1'), pod('low', 1, '1'));
    const result = selectVictimsOnNode(pod('high', 100, '2'), info, search());
    assert.deepEqual(result, { kind: 'none', reasons: ['Insufficient cpu'] });
    assert.deepEqual(selectVictimsOnNode(pod('high', 1, '1'), info, search()), { kind: 'none', reasons: ['No preemption victims found for incoming pod'] });
  });

  it('among equal priorities evicts the pod that started last', () => {
    const info = nodeInfoWith(makeNode('n', { cpu: '2' }),
      pod('old', 1, '1', { startTime: '2026-01-01T00:00:00Z' }), pod('young', 1, '1', { startTime: '2026-01-02T00:00:00Z' }));
    const result = selectVictimsOnNode(pod('high', 10, '1'), info, search());
    assert.deepEqual(result.kind === 'victims' ? names(result.victims) : [], ['young']);
  });

  it('spares budget-protected pods when others make room, and counts violations otherwise', () => {
    const budgets = budgetViews([{ metadata: { name: 'b', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'db' } } }, status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 } }]);
    // db is more important by start time but protected; web is not: web goes either way.
    const info = nodeInfoWith(makeNode('n', { cpu: '2' }),
      pod('db', 1, '1', { labels: { app: 'db' }, startTime: '2026-01-02T00:00:00Z' }),
      pod('web', 1, '1', { labels: { app: 'web' }, startTime: '2026-01-01T00:00:00Z' }));
    const one = selectVictimsOnNode(pod('high', 10, '1'), info, search({ budgets }));
    assert.deepEqual(one.kind === 'victims' ? [names(one.victims), one.budgetViolations] : [], [['web'], 0]);
    const both = selectVictimsOnNode(pod('huge', 10, '2'), info, search({ budgets }));
    assert.deepEqual(both.kind === 'victims' ? [names(both.victims).sort(), both.budgetViolations] : [], [['db', 'web'], 1]);
  });

  it('counts nominated pods of higher priority as already there', () => {
    const info = nodeInfoWith(makeNode('n', { cpu: '2' }), pod('low-1', 1, '1'), pod('low-2', 1, '1'));
    const nominator = new Nominator();
    nominator.nominate(pod('waiting', 50, '1'), 'n');
    const result = selectVictimsOnNode(pod('high', 10, '1'), info, search({ nominated: nominator }));
    assert.deepEqual(result.kind === 'victims' ? names(result.victims).sort() : [], ['low-1', 'low-2']);
    assert.equal(info.pods.has(podKey(pod('waiting', 50, '1'))), false);
  });
});

describe('splitByBudgetViolation', () => {
  it('uses up each budget in order; pods without labels or in other namespaces are never protected', () => {
    const budgets = budgetViews([
      { metadata: { name: 'b', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } } }, status: { disruptionsAllowed: 1, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 } },
      { metadata: { name: 'everything', namespace: 'default' }, spec: { selector: {} }, status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 } },
    ]);
    const a = makePod('a', { labels: { app: 'web' } });
    const b = makePod('b', { labels: { app: 'web' } });
    const other = makePod('c', { labels: { app: 'web' }, namespace: 'other' });
    const bare = makePod('d');
    const { violating, nonViolating } = splitByBudgetViolation([a, b, other, bare], budgets);
    assert.deepEqual([names(violating), names(nonViolating)], [['b'], ['a', 'c', 'd']]);
  });
});

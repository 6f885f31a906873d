import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { CycleState } from '../framework/cycle-state.js';
import { NodeSnapshot } from '../framework/node-snapshot.js';
import { makeNode, makePod } from '../testing/fixtures.js';
import { PodTopologySpreadFilter } from './pod-topology-spread-filter.js';
import { PodTopologySpreadScore } from './pod-topology-spread-score.js';

const spread = (whenUnsatisfiable: string, topologyKey = 'zone', maxSkew = 1): TopologySpreadConstraint => ({
  maxSkew,
  topologyKey,
  whenUnsatisfiable,
  labelSelector: { matchLabels: { app: 'web' } },
});

function zones(...pods: Pod[]): NodeSnapshot {
  const snapshot = new NodeSnapshot();
  snapshot.setNode(makeNode('a1', { labels: { zone: 'a' } }));
  snapshot.setNode(makeNode('a2', { labels: { zone: 'a' } }));
  snapshot.setNode(makeNode('b1', { labels: { zone: 'b' } }));
  snapshot.setNode(makeNode('c1', { labels: { zone: 'c' } }));
  snapshot.setNode(makeNode('nolabel'));
  for (const pod of pods) snapshot.addPod(pod);
  return snapshot;
}

const web = (name: string, nodeName?: string): Pod => makePod(name, { labels: { app: 'web' }, ...(nodeName ? { nodeName } : {}) });

describe('PodTopologySpread filter', () => {
  it('rejects domains that would exceed maxSkew and nodes without the key', () => {
    const snapshot = zones(web('w1', 'a1'), web('w2', 'a2'), web('w3', 'b1'));
    const pod = makePod('new', { labels: { app: 'web' }, spec: { topologySpreadConstraints: [spread('DoNotSchedule')] } });
    const plugin = new PodTopologySpreadFilter();
    const state = new CycleState();
    plugin.preFilter(pod, snapshot, state);
    const result = Object.fromEntries(snapshot.nodeInfos().map((n) => [n.name, plugin.filter(pod, n, state).reasons[0] ?? 'ok']));
    // counts a=2, b=1, c=0; min 0: a -> 3 > 1, b -> 2 > 1, c -> 1 ok.
    assert.deepEqual(result, {
      a1: "node(s) didn't match pod topology spread constraints",
      a2: "node(s) didn't match pod topology spread constraints",
      b1: "node(s) didn't match pod topology spread constraints",
      c1: 'ok',
      nolabel: "node(s) didn't match pod topology spread constraints (missing required label)",
    });
  });

  it('only counts domains of nodes the pod may use (nodeAffinityPolicy Honor)', () => {
    const snapshot = zones(web('w1', 'a1'), web('w3', 'b1'));
    const pod = makePod('new', {
      labels: { app: 'web' },
      spec: {
        topologySpreadConstraints: [spread('DoNotSchedule')],
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] } } },
      },
    });
    const plugin = new PodTopologySpreadFilter();
    const state = new CycleState();
    plugin.preFilter(pod, snapshot, state);
    // Zone c is not eligible, so the minimum is 1 and zone a (1+1-1 = 1) is allowed.
    assert.equal(plugin.filter(pod, snapshot.get('a1')!, state).code, 'Success');
  });

  it('is skipped without DoNotSchedule constraints', () => {
    assert.equal(new PodTopologySpreadFilter().preFilter(makePod('p'), zones(), new CycleState()), 'skip');
  });
});

describe('PodTopologySpread score', () => {
  it('prefers emptier domains for ScheduleAnyway constraints', () => {
    const snapshot = zones(web('w1', 'a1'), web('w2', 'a2'), web('w3', 'b1'));
    const pod = makePod('new', { labels: { app: 'web' }, spec: { topologySpreadConstraints: [spread('ScheduleAnyway')] } });
    const plugin = new PodTopologySpreadScore();
    const state = new CycleState();
    const feasible = snapshot.nodeInfos();
    plugin.preScore(pod, feasible, snapshot, state);
    const scores = feasible.map((n) => plugin.score(pod, n, state));
    plugin.normalize(pod, scores, feasible, state);
    const byName = Object.fromEntries(feasible.map((n, i) => [n.name, scores[i]]));
    assert.ok(byName.c1! > byName.b1! && byName.b1! > byName.a1!, JSON.stringify(byName));
    assert.equal(byName.c1, 100);
    assert.equal(byName.nolabel, 0);
  });

  it('spreads pods of one owner across hostnames by default', () => {
    const snapshot = new NodeSnapshot();
    for (const name of ['n1', 'n2', 'n3']) snapshot.setNode(makeNode(name));
    snapshot.addPod(makePod('r1', { ownerUid: 'rs-1', nodeName: 'n1' }));
    snapshot.addPod(makePod('r2', { ownerUid: 'rs-1', nodeName: 'n1' }));
    snapshot.addPod(makePod('r3', { ownerUid: 'rs-1', nodeName: 'n2' }));
    snapshot.addPod(makePod('other', { ownerUid: 'rs-2', nodeName: 'n3' }));
    const pod = makePod('r4', { ownerUid: 'rs-1' });
    const plugin = new PodTopologySpreadScore();
    const state = new CycleState();
    const feasible = snapshot.nodeInfos();
    assert.equal(plugin.preScore(pod, feasible, snapshot, state), undefined);
    const scores = feasible.map((n) => plugin.score(pod, n, state));
    plugin.normalize(pod, scores, feasible, state);
    // raw: n1 2*log(5)+2 = 5, n2 1*log(5)+2 = 4, n3 2 -> 100*(5+2-s)/5 = 40, 60, 100.
    assert.deepEqual(scores, [40, 60, 100]);
    assert.equal(plugin.preScore(makePod('orphan'), feasible, snapshot, new CycleState()), 'skip');
  });
});

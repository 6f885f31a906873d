import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { fitErrorMessage } from '../framework/fit-error.js';
import { NodeSnapshot } from '../framework/node-snapshot.js';
import { Nominator } from '../framework/nominator.js';
import { defaultProfile } from '../plugins/default-plugins.js';
import { PodScheduler } from '../schedule-pod.js';
import { makeNode, makePod } from '../testing/fixtures.js';
import { preempt, type PreemptionContext } from './preemption.js';

const pod = (name: string, priority: number, cpu: string, extra: Partial<NonNullable<Pod['spec']>> = {}, nodeName?: string): Pod =>
  makePod(name, { cpu, spec: { priority, ...extra }, ...(nodeName ? { nodeName } : {}) });

function cluster(...pods: Pod[]): NodeSnapshot {
  const snapshot = new NodeSnapshot();
  snapshot.setNode(makeNode('small', { cpu: '2' }));
  snapshot.setNode(makeNode('tainted', { cpu: '8', taints: [{ key: 'dedicated', effect: 'NoSchedule' }] }));
  for (const p of pods) snapshot.addPod(p);
  return snapshot;
}

function attempt(preemptor: Pod, snapshot: NodeSnapshot, ctx: Partial<PreemptionContext> = {}) {
  const outcome = new PodScheduler({ profile: defaultProfile(), random: () => 0 }).schedule(preemptor, snapshot, ctx.nominated);
  assert.equal(outcome.kind, 'unschedulable');
  const result = preempt(preemptor, outcome, { snapshot, nominated: undefined, budgets: () => [], preempting: new Set(), ...ctx });
  return { result, message: fitErrorMessage(preemptor, outcome, result.kind === 'failed' ? result.message : '') };
}

describe('preempt', () => {
  it('nominates the node where lower-priority pods make room; the message stops after the filter reasons', () => {
    const snapshot = cluster(pod('low', 0, '1500m', {}, 'small'), pod('other', 0, '200m', {}, 'small'));
    const { result, message } = attempt(pod('high', 1000, '1'), snapshot);
    assert.equal(result.kind, 'nominated');
    assert.equal(result.kind === 'nominated' ? result.nodeName : '', 'small');
    assert.deepEqual(result.kind === 'nominated' ? result.victims.map((v) => v.metadata?.name) : [], ['low']);
    assert.equal(message, '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: }.');
  });

  it('explains per node why preemption cannot help', () => {
    const snapshot = cluster(pod('peer', 1000, '1500m', {}, 'small'));
    const { result, message } = attempt(pod('high', 1000, '1'), snapshot);
    assert.equal(result.kind, 'failed');
    assert.equal(message, '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: }. ' +
      'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.');
    const tooBig = attempt(pod('huge', 1000, '3'), cluster(pod('low', 0, '1', {}, 'small')));
    assert.match(tooBig.message, /preemption: 0\/2 nodes are available: 1 Insufficient cpu, 1 Preemption is not helpful for scheduling\.$/);
  });

  it('does not preempt with preemptionPolicy Never', () => {
    const { result } = attempt(pod('high', 1000, '1', { preemptionPolicy: 'Never' }), cluster(pod('low', 0, '1500m', {}, 'small')));
    assert.deepEqual(result, { kind: 'failed', message: 'preemption: not eligible due to preemptionPolicy=Never.' });
  });

  it('waits while its victims on the nominated node are terminating', () => {
    const low = pod('low', 0, '1500m', {}, 'small');
    const high = pod('high', 1000, '1');
    const nominator = new Nominator();
    nominator.nominate(high, 'small');
    const { result } = attempt(high, cluster(low), { nominated: nominator, preempting: new Set(['default/low']) });
    assert.deepEqual(result, { kind: 'failed', message: 'preemption: not eligible due to a terminating pod on the nominated node.' });
    // Terminating because of preemption, as the API shows it after a scheduler restart.
    const terminating: Pod = {
      ...low, metadata: { ...low.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' },
      status: { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }] },
    };
    const restarted: Pod = { ...high, status: { nominatedNodeName: 'small' } };
    assert.equal(attempt(restarted, cluster(terminating)).result.kind, 'failed');
    // Not nominated: preempts as usual.
    assert.equal(attempt(high, cluster(low), { preempting: new Set(['default/low']) }).result.kind, 'nominated');
  });
});

describe('scheduling with nominated pods', () => {
  it('keeps the room for a nominated pod of higher priority and lets it use its node first', () => {
    const snapshot = new NodeSnapshot();
    snapshot.setNode(makeNode('a', { cpu: '2' }));
    snapshot.setNode(makeNode('b', { cpu: '2' }));
    const nominator = new Nominator();
    const waiting = pod('waiting', 1000, '2');
    nominator.nominate(waiting, 'a');
    const scheduler = new PodScheduler({ profile: defaultProfile(), random: () => 0 });
    const placed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const low = pod(`low-${i}`, 0, '1');
      const outcome = scheduler.schedule(low, snapshot, nominator);
      placed.push(outcome.kind === 'scheduled' ? outcome.nodeName : outcome.kind);
      if (outcome.kind === 'scheduled') snapshot.assumePod(low, outcome.nodeName);
    }
    assert.deepEqual(placed, ['b', 'b', 'unschedulable']);
    const outcome = scheduler.schedule(waiting, snapshot, nominator);
    assert.equal(outcome.kind === 'scheduled' ? outcome.nodeName : outcome.kind, 'a');
  });
});

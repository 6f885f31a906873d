import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { CycleState } from '../framework/cycle-state.js';
import { NodeSnapshot } from '../framework/node-snapshot.js';
import { makeNode, makePod } from '../testing/fixtures.js';
import { InterPodAffinityFilter } from './inter-pod-affinity.js';

const HOST = 'kubernetes.io/hostname';
const term = (app: string, topologyKey = HOST): PodAffinityTerm => ({ labelSelector: { matchLabels: { app } }, topologyKey });

function cluster(...pods: Pod[]): NodeSnapshot {
  const snapshot = new NodeSnapshot();
  snapshot.setNode(makeNode('a', { labels: { zone: 'z1' } }));
  snapshot.setNode(makeNode('b', { labels: { zone: 'z1' } }));
  snapshot.setNode(makeNode('c', { labels: { zone: 'z2' } }));
  for (const pod of pods) snapshot.addPod(pod);
  return snapshot;
}

function verdicts(pod: Pod, snapshot: NodeSnapshot): Record<string, string> {
  const plugin = new InterPodAffinityFilter();
  const state = new CycleState();
  if (plugin.preFilter(pod, snapshot, state) === 'skip') return { skipped: 'yes' };
  return Object.fromEntries(snapshot.nodeInfos().map((n) => [n.name, plugin.filter(pod, n, state).reasons[0] ?? 'ok']));
}

describe('InterPodAffinity filter', () => {
  it('anti-affinity by hostname keeps replicas apart', () => {
    const web1 = makePod('web-1', { labels: { app: 'web' }, nodeName: 'a' });
    const web2 = makePod('web-2', { labels: { app: 'web' }, spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web')] } } } });
    assert.deepEqual(verdicts(web2, cluster(web1)), { a: "node(s) didn't match pod anti-affinity rules", b: 'ok', c: 'ok' });
  });

  it('affinity by zone requires a matching pod in the zone', () => {
    const db = makePod('db', { labels: { app: 'db' }, nodeName: 'c' });
    const app = makePod('app', { spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', 'zone')] } } } });
    assert.deepEqual(verdicts(app, cluster(db)), { a: "node(s) didn't match pod affinity rules", b: "node(s) didn't match pod affinity rules", c: 'ok' });
  });

  it('lets the first pod of a self-affine group go anywhere', () => {
    const first = makePod('g-1', { labels: { app: 'g' }, spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('g')] } } } });
    assert.deepEqual(verdicts(first, cluster()), { a: 'ok', b: 'ok', c: 'ok' });
    const other = makePod('x', { spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('g')] } } } });
    assert.equal(verdicts(other, cluster()).a, "node(s) didn't match pod affinity rules");
  });

  it("honours existing pods' anti-affinity against the incoming pod", () => {
    const loner = makePod('loner', { nodeName: 'b', spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('noisy', 'zone')] } } } });
    const noisy = makePod('noisy', { labels: { app: 'noisy' } });
    assert.deepEqual(verdicts(noisy, cluster(loner)), {
      a: "node(s) didn't satisfy existing pods anti-affinity rules",
      b: "node(s) didn't satisfy existing pods anti-affinity rules",
      c: 'ok',
    });
  });

  it('only looks at the namespaces of the term', () => {
    const other = makePod('web-1', { namespace: 'other', labels: { app: 'web' }, nodeName: 'a' });
    const web2 = makePod('web-2', { spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web')] } } } });
    assert.equal(verdicts(web2, cluster(other)).a, 'ok');
    const all = makePod('web-3', { spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ ...term('web'), namespaceSelector: {} }] } } } });
    assert.equal(verdicts(all, cluster(other)).a, "node(s) didn't match pod anti-affinity rules");
  });

  it('is skipped when nobody has affinity', () => {
    assert.deepEqual(verdicts(makePod('p'), cluster(makePod('q', { nodeName: 'a' }))), { skipped: 'yes' });
  });
});

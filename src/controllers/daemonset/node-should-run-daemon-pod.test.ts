import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withDaemonPodTolerations } from './daemon-pod-tolerations.js';
import { daemonSet, node } from './daemon-set-harness.fixture.js';
import { nodeShouldRunDaemonPod } from './node-should-run-daemon-pod.js';

describe('nodeShouldRunDaemonPod', () => {
  it('runs on a plain node, and under the taints every daemon tolerates', () => {
    assert.deepEqual(nodeShouldRunDaemonPod(node('a'), daemonSet()), { shouldRun: true, shouldContinueRunning: true });
    const unreachable = node('b', { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] });
    // not-ready is tolerated only for NoExecute: a NoSchedule not-ready taint keeps new pods off.
    assert.deepEqual(nodeShouldRunDaemonPod(unreachable, daemonSet()), { shouldRun: false, shouldContinueRunning: true });
  });

  it('an untolerated NoSchedule taint stops new pods only; NoExecute stops both; PreferNoSchedule neither', () => {
    const ds = daemonSet();
    assert.deepEqual(nodeShouldRunDaemonPod(node('a', { taints: [{ key: 'k', effect: 'NoSchedule' }] }), ds), { shouldRun: false, shouldContinueRunning: true });
    assert.deepEqual(nodeShouldRunDaemonPod(node('a', { taints: [{ key: 'k', effect: 'NoExecute' }] }), ds), { shouldRun: false, shouldContinueRunning: false });
    assert.deepEqual(nodeShouldRunDaemonPod(node('a', { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] }), ds), { shouldRun: true, shouldContinueRunning: true });
    ds.spec!.template.spec!.tolerations = [{ key: 'k', operator: 'Exists' }];
    assert.deepEqual(nodeShouldRunDaemonPod(node('a', { taints: [{ key: 'k', effect: 'NoExecute' }] }), ds), { shouldRun: true, shouldContinueRunning: true });
  });

  it('honours nodeSelector, required node affinity and a template nodeName', () => {
    const ds = daemonSet();
    ds.spec!.template.spec!.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }] } } };
    assert.equal(nodeShouldRunDaemonPod(node('a', { labels: { zone: 'z1' } }), ds).shouldRun, true);
    assert.deepEqual(nodeShouldRunDaemonPod(node('a', { labels: { zone: 'z2' } }), ds), { shouldRun: false, shouldContinueRunning: false });
    const pinned = daemonSet();
    pinned.spec!.template.spec!.nodeName = 'b';
    assert.equal(nodeShouldRunDaemonPod(node('a'), pinned).shouldRun, false);
    assert.equal(nodeShouldRunDaemonPod(node('b'), pinned).shouldRun, true);
  });

  it('a host-network daemon also tolerates network-unavailable', () => {
    const taint = [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }];
    assert.equal(nodeShouldRunDaemonPod(node('a', { taints: taint }), daemonSet()).shouldRun, false);
    const hostNetwork = daemonSet();
    hostNetwork.spec!.template.spec!.hostNetwork = true;
    assert.equal(nodeShouldRunDaemonPod(node('a', { taints: taint }), hostNetwork).shouldRun, true);
  });
});

describe('withDaemonPodTolerations', () => {
  it('replaces a matching toleration (dropping its tolerationSeconds) and keeps the rest', () => {
    const spec = withDaemonPodTolerations({
      containers: [],
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }, { key: 'mine', operator: 'Exists' }],
    });
    assert.deepEqual(spec.tolerations?.[0], { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' });
    assert.deepEqual(spec.tolerations?.[1], { key: 'mine', operator: 'Exists' });
    assert.equal(spec.tolerations?.length, 7);
  });
});

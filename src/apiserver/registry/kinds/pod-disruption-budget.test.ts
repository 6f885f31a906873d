import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../api/object.js';
import { FakeClock } from '../../../lib/clock.js';
import { MemoryStore } from '../../../storage/memory/memory-store.js';
import { DiscoveryDocuments } from '../../discovery/discovery-documents.js';
import { ApiRegistry } from '../api-registry.js';
import { builtinKinds } from './index.js';
import { podDisruptionBudgetStrategy as strategy } from './pod-disruption-budget.js';

function pdb(spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'default' }, spec, ...(status ? { status } : {}) };
}

function messages(obj: KubeObject): string[] {
  return strategy.validate(obj).map((e) => `${e.field}: ${e.message}`);
}

describe('policy/v1 PodDisruptionBudget', () => {
  it('validates as upstream: one of minAvailable/maxUnavailable, ints or percents up to 100%', () => {
    assert.deepEqual(messages(pdb({ minAvailable: 1, selector: { matchLabels: { app: 'web' } } })), []);
    assert.deepEqual(messages(pdb({ maxUnavailable: '25%' })), []);
    assert.deepEqual(messages(pdb({ minAvailable: 1, maxUnavailable: 1 })), [
      'spec.minAvailable: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: minAvailable and maxUnavailable cannot be both set',
    ]);
    assert.deepEqual(messages(pdb({ minAvailable: -1 })), ['spec.minAvailable: Invalid value: -1: must be greater than or equal to 0']);
    assert.deepEqual(messages(pdb({ maxUnavailable: '150%' })), [
      'spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
    ]);
    assert.equal(messages(pdb({ unhealthyPodEvictionPolicy: 'Sometimes' }))[0]?.startsWith('spec.unhealthyPodEvictionPolicy: Unsupported value: "Sometimes"'), true);
    assert.equal(messages(pdb({ selector: { matchExpressions: [{ key: 'app', operator: 'Near' }] } })).length, 1);
    assert.deepEqual(messages(pdb({}, { disruptionsAllowed: -1 })), ['status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0']);
  });

  it('defaults the status counters to 0 (Go int32s without omitempty)', () => {
    const obj = pdb({ minAvailable: 1 });
    strategy.defaults(obj);
    assert.deepEqual(obj['status'], { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
  });

  it('prints NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE, N/A for the unset bound', () => {
    assert.deepEqual(strategy.table.columns.map((c) => c.name), ['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age']);
    const now = new Date('2026-11-27T10:05:00Z');
    const obj = { ...pdb({ maxUnavailable: '25%' }, { disruptionsAllowed: 2 }), metadata: { name: 'web', creationTimestamp: '2026-11-27T10:00:00Z' } };
    assert.deepEqual(strategy.table.cells(obj, now), ['web', 'N/A', '25%', 2, '5m']);
  });

  it('is in discovery with short name pdb, and pods list the policy/v1 eviction subresource kubectl drain looks for', () => {
    const registry = new ApiRegistry({ store: new MemoryStore(), kinds: builtinKinds, clock: new FakeClock() });
    const discovery = new DiscoveryDocuments({ registry });
    const policy = discovery.apiResourceList('policy', 'v1') as { resources: { name: string; shortNames?: string[] }[] };
    assert.deepEqual(policy.resources.map((r) => r.name), ['poddisruptionbudgets', 'poddisruptionbudgets/status']);
    assert.deepEqual(policy.resources[0]?.shortNames, ['pdb']);
    const core = discovery.apiResourceList('', 'v1') as { resources: { name: string; group?: string; version?: string; kind: string; verbs: string[] }[] };
    const eviction = core.resources.find((r) => r.name === 'pods/eviction');
    assert.deepEqual(eviction, { name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
    registry.close();
  });
});

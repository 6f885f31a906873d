import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { KubeObject } from '../../api/object.js';
import { ApiStatusError } from '../../client/api-status-error.js';
import { PODS } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import { InProcessClientSet } from '../in-process-client.js';
import { ApiRegistry } from './api-registry.js';
import { evictPod, VIOLATES_BUDGET, type EvictionContext } from './eviction-operation.js';
import { builtinKinds } from './kinds/index.js';
import type { DeleteOptions, ResourceRegistry } from './registry-types.js';

const WRITE = { dryRun: false, fieldValidation: 'Ignore' } as const;
const NO_OPTIONS: DeleteOptions = { dryRun: false };

function eviction(name: string): KubeObject {
  return { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } };
}

describe('evictPod', () => {
  let store: MemoryStore;
  let registry: ApiRegistry;
  let pods: ResourceRegistry;
  let pdbs: ResourceRegistry;
  let ctx: EvictionContext;
  const clock = new FakeClock({ start: new Date('2026-11-27T10:00:00Z') });

  beforeEach(async () => {
    store = new MemoryStore();
    registry = new ApiRegistry({ store, kinds: builtinKinds, clock });
    await registry.lookup('', 'v1', 'namespaces')?.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }, WRITE);
    pods = registry.lookup('', 'v1', 'pods') as ResourceRegistry;
    pdbs = registry.lookup('policy', 'v1', 'poddisruptionbudgets') as ResourceRegistry;
    ctx = { registry, now: () => clock.now() };
  });
  afterEach(async () => {
    registry.close();
    await store.close();
  });

  async function runningPod(name: string, ready: boolean, labels: Record<string, string> = { app: 'web' }): Promise<void> {
    const created = await pods.create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }, WRITE);
    const status = { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
    await pods.update('default', name, { ...created.object, status }, { ...WRITE, subresource: 'status' });
  }

  async function budget(name: string, status: Partial<NonNullable<PodDisruptionBudget['status']>>, selector: object = { matchLabels: { app: 'web' } }): Promise<void> {
    const created = await pdbs.create('default', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec: { minAvailable: 1, selector } }, WRITE);
    const full = { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0, observedGeneration: 1, ...status };
    await pdbs.update('default', name, { ...created.object, status: full }, { ...WRITE, subresource: 'status' });
  }

  async function gone(name: string): Promise<boolean> {
    try {
      await pods.get('default', name);
      return false;
    } catch (error) {
      if (error instanceof NotFoundError) return true;
      throw error;
    }
  }

  it('deletes a pod no budget covers', async () => {
    await runningPod('a', true);
    const result = await evictPod(ctx, pods, 'default', 'a', eviction('a'), NO_OPTIONS);
    assert.equal(result.code, 201);
    assert.equal(await gone('a'), true);
  });

  it('takes a disruption: decrements disruptionsAllowed and records the pod, then deletes it', async () => {
    await runningPod('a', true);
    await budget('pdb', { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 });
    const result = await evictPod(ctx, pods, 'default', 'a', eviction('a'), NO_OPTIONS);
    assert.equal(result.code, 201);
    assert.equal(await gone('a'), true);
    const pdb = await pdbs.get('default', 'pdb') as PodDisruptionBudget;
    assert.equal(pdb.status?.disruptionsAllowed, 0);
    assert.deepEqual(Object.keys(pdb.status?.disruptedPods ?? {}), ['a']);
    assert.equal(pdb.status?.conditions?.find((c) => c.type === 'DisruptionAllowed')?.reason, 'InsufficientPods');
  });

  it('two evictions racing for the last disruption: the status write is a compare-and-swap, one wins', async () => {
    await runningPod('a', true);
    await runningPod('b', true);
    await budget('pdb', { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 });
    const results = await Promise.all(['a', 'b'].map((name) => evictPod(ctx, pods, 'default', name, eviction(name), NO_OPTIONS)));
    assert.deepEqual(results.map((r) => r.code).sort(), [201, 429]);
    assert.equal([await gone('a'), await gone('b')].filter(Boolean).length, 1);
  });

  it('refuses with 429 and the DisruptionBudget cause when no disruption is allowed', async () => {
    await runningPod('a', true);
    await budget('pdb', { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 });
    const result = await evictPod(ctx, pods, 'default', 'a', eviction('a'), NO_OPTIONS);
    assert.equal(result.code, 429);
    assert.equal(result.status['reason'], 'TooManyRequests');
    assert.equal(result.status['message'], VIOLATES_BUDGET);
    assert.deepEqual(result.status['details'], { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget pdb needs 1 healthy pods and has 1 currently' }] });
    assert.equal(await gone('a'), false);
  });

  it('refuses while the controller has not observed the budget\'s generation', async () => {
    await runningPod('a', true);
    await budget('pdb', { disruptionsAllowed: 5, observedGeneration: 0 });
    const result = await evictPod(ctx, pods, 'default', 'a', eviction('a'), NO_OPTIONS);
    assert.equal(result.code, 429);
    assert.match(JSON.stringify(result.status['details']), /still being processed/);
  });

  it('answers 500 when two budgets cover the pod', async () => {
    await runningPod('a', true);
    await budget('one', { disruptionsAllowed: 1 });
    await budget('two', { disruptionsAllowed: 1 }, { matchExpressions: [{ key: 'app', operator: 'Exists' }] });
    const result = await evictPod(ctx, pods, 'default', 'a', eviction('a'), NO_OPTIONS);
    assert.equal(result.code, 500);
    assert.equal(await gone('a'), false);
  });

  it('ignores budgets with an empty selector, and budgets for Pending or terminal pods', async () => {
    await runningPod('a', true);
    await budget('everything', { disruptionsAllowed: 0 }, {});
    assert.equal((await evictPod(ctx, pods, 'default', 'a', eviction('a'), NO_OPTIONS)).code, 201);
    await budget('web', { disruptionsAllowed: 0 });
    await pods.create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }, WRITE);
    assert.equal((await evictPod(ctx, pods, 'default', 'p', eviction('p'), NO_OPTIONS)).code, 201);
    assert.equal(await gone('p'), true);
  });

  it('evicts a not-Ready pod without a disruption when the budget is met', async () => {
    await runningPod('a', false);
    await budget('pdb', { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2 });
    assert.equal((await evictPod(ctx, pods, 'default', 'a', eviction('a'), NO_OPTIONS)).code, 201);
    const pdb = await pdbs.get('default', 'pdb') as PodDisruptionBudget;
    assert.equal(pdb.status?.disruptionsAllowed, 0);
    assert.equal(pdb.status?.disruptedPods, undefined);
  });

  it('honours the client\'s preconditions and dry run', async () => {
    await runningPod('a', true);
    await assert.rejects(evictPod(ctx, pods, 'default', 'a', eviction('a'), { dryRun: false, preconditions: { uid: 'other' } }), ConflictError);
    await budget('pdb', { disruptionsAllowed: 1 });
    assert.equal((await evictPod(ctx, pods, 'default', 'a', eviction('a'), { dryRun: true })).code, 201);
    assert.equal(await gone('a'), false);
    assert.equal(((await pdbs.get('default', 'pdb')) as PodDisruptionBudget).status?.disruptionsAllowed, 1);
  });

  it('stamps DisruptionTarget on a pod whose deletion is graceful', async () => {
    const created = await pods.create('default', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b', labels: { app: 'web' } }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] },
    }, WRITE);
    await pods.update('default', 'b', { ...created.object, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, { ...WRITE, subresource: 'status' });
    assert.equal((await evictPod(ctx, pods, 'default', 'b', eviction('b'), NO_OPTIONS)).code, 201);
    const pod = await pods.get('default', 'b') as Pod;
    assert.ok(pod.metadata?.deletionTimestamp);
    assert.equal(pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget')?.reason, 'EvictionByEvictionAPI');
  });

  it('over the in-process client: a refusal is the 429 ApiStatusError a client sees over HTTP', async () => {
    await runningPod('a', true);
    await budget('pdb', { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1 });
    const client = new InProcessClientSet({ registry, clock }).resource(PODS);
    await assert.rejects(client.createSubresource('default', 'a', 'eviction', eviction('a')),
      (error: unknown) => error instanceof ApiStatusError && error.code === 429 && error.message === VIOLATES_BUDGET);
    await pdbs.delete('default', 'pdb', { dryRun: false });
    const answer = await client.createSubresource('default', 'a', 'eviction', { ...eviction('a'), deleteOptions: { gracePeriodSeconds: 0 } });
    assert.equal(answer['status'], 'Success');
    assert.equal(await gone('a'), true);
  });

  it('rejects a body naming another pod', async () => {
    await runningPod('a', true);
    await assert.rejects(evictPod(ctx, pods, 'default', 'a', eviction('b'), NO_OPTIONS), /name in URL does not match/);
  });
});

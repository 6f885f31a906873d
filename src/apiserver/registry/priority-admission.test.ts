// Priority admission through a real ApiRegistry (memory store, the built-in kinds, the hooks wired
// as `k8ts server` wires them) and the system classes created as at start-up.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { K8tsError } from '../../lib/errors.js';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import { RequestError } from './api-errors.js';
import { ApiRegistry } from './api-registry.js';
import { builtinKinds } from './kinds/index.js';
import { priorityHooksFor } from './priority-admission.js';
import { FakeClock } from './registry-fixtures.test.js';
import type { ResourceRegistry } from './registry-types.js';
import { ensureSystemPriorityClasses } from './system-priority-classes.js';

const WRITE = { dryRun: false, fieldValidation: 'Strict' } as const;

async function setup() {
  // The hooks read classes from the registry they are part of (called only after it exists).
  const hooks = priorityHooksFor(() => registry.lookup('scheduling.k8s.io', 'v1', 'priorityclasses'));
  const registry: ApiRegistry = new ApiRegistry({ store: new MemoryStore(), kinds: builtinKinds, clock: new FakeClock(), writeHooks: hooks });
  await registry.lookup('', 'v1', 'namespaces')?.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }, WRITE);
  await ensureSystemPriorityClasses(registry);
  const pods = registry.lookup('', 'v1', 'pods') as ResourceRegistry;
  const classes = registry.lookup('scheduling.k8s.io', 'v1', 'priorityclasses') as ResourceRegistry;
  const klass = (name: string, value: number, extra: Record<string, unknown> = {}) =>
    classes.create(undefined, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...extra }, WRITE);
  const createPod = async (name: string, spec: Partial<NonNullable<Pod['spec']>> = {}): Promise<Pod> => {
    const body = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } };
    return (await pods.create('default', body, WRITE)).object as Pod;
  };
  return { registry, pods, classes, klass, createPod };
}

/** The refusal a write ends with: its Status reason (RequestError) or error code (K8tsError). */
async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (error instanceof RequestError) return { code: error.reason, message: error.message };
  assert.ok(error instanceof K8tsError, `expected an API error, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

describe('Priority admission', () => {
  it('creates the system classes with upstream values and the default policy', async () => {
    const t = await setup();
    const items = (await t.classes.list(undefined, {})).items.map((pc) => [pc.metadata?.name, pc['value'], pc['preemptionPolicy']]);
    assert.deepEqual(items.sort(), [
      ['system-cluster-critical', 2000000000, 'PreemptLowerPriority'],
      ['system-node-critical', 2000001000, 'PreemptLowerPriority'],
    ]);
    await ensureSystemPriorityClasses(t.registry); // idempotent
  });

  it('refuses to delete a system class by name (403, upstream wording); user classes go', async () => {
    const t = await setup();
    const refused = await rejection(t.classes.delete(undefined, 'system-node-critical', { dryRun: false }));
    assert.equal(refused.code, 'Forbidden');
    assert.equal(refused.message, 'priorityclasses.scheduling.k8s.io "system-node-critical" is forbidden: this is a system priority class and cannot be deleted');
    assert.ok(await t.classes.get(undefined, 'system-node-critical'));
    await t.klass('low', 10);
    await t.classes.delete(undefined, 'low', { dryRun: false });
    assert.deepEqual((await t.classes.list(undefined, {})).items.map((pc) => pc.metadata?.name).sort(), ['system-cluster-critical', 'system-node-critical']);
  });

  it('gives a pod its class value and policy', async () => {
    const t = await setup();
    await t.klass('high', 1000, { preemptionPolicy: 'Never' });
    const pod = await t.createPod('p', { priorityClassName: 'high' });
    assert.equal(pod.spec?.priority, 1000);
    assert.equal(pod.spec?.preemptionPolicy, 'Never');
  });

  it('refuses an unknown class with 403 and upstream wording', async () => {
    const t = await setup();
    const error = await rejection(t.createPod('p', { priorityClassName: 'nope' }));
    assert.equal(error.code, 'Forbidden');
    assert.equal(error.message, 'pods "p" is forbidden: no PriorityClass with name nope was found');
  });

  it('uses the globalDefault class, else priority 0 and PreemptLowerPriority', async () => {
    const t = await setup();
    const plain = await t.createPod('plain');
    assert.equal(plain.spec?.priority, 0);
    assert.equal(plain.spec?.preemptionPolicy, 'PreemptLowerPriority');
    assert.equal(plain.spec?.priorityClassName, undefined);
    await t.klass('normal', 50, { globalDefault: true });
    // Admission reads a watch-fed map: let the new class arrive there (dry runs admit too).
    for (let turn = 0; turn < 1000; turn++) {
      const probe = await t.pods.create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }, { ...WRITE, dryRun: true });
      if ((probe.object as Pod).spec?.priority === 50) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const defaulted = await t.createPod('defaulted');
    assert.equal(defaulted.spec?.priority, 50);
    assert.equal(defaulted.spec?.priorityClassName, 'normal');
  });

  it('rejects a pod whose own priority or policy disagrees with its class', async () => {
    const t = await setup();
    await t.klass('high', 1000);
    const error = await rejection(t.createPod('p', { priorityClassName: 'high', priority: 5 }));
    assert.equal(error.code, 'Forbidden');
    assert.match(error.message, /the integer value of priority \(5\) must not be provided in pod spec; priority admission controller computed 1000/);
    const policy = await rejection(t.createPod('q', { priorityClassName: 'high', preemptionPolicy: 'Never' }));
    assert.match(policy.message, /the string value of PreemptionPolicy \(Never\) must not be provided in pod spec/);
    assert.equal((await t.createPod('r', { priorityClassName: 'high', priority: 1000 })).spec?.priority, 1000);
  });

  it('keeps the stored priority when an update leaves it out', async () => {
    const t = await setup();
    await t.klass('high', 1000);
    const pod = await t.createPod('p', { priorityClassName: 'high' });
    const body = structuredClone(pod) as KubeObject & Pod;
    delete body.spec?.priority;
    delete body.spec?.preemptionPolicy;
    const updated = (await t.pods.update('default', 'p', { ...body, metadata: { ...body.metadata, labels: { a: 'b' } } }, WRITE)).object as Pod;
    assert.equal(updated.spec?.priority, 1000);
    assert.equal(updated.metadata?.labels?.a, 'b');
  });

  it('validates classes: system names, the user maximum, one default, an immutable value', async () => {
    const t = await setup();
    assert.match((await rejection(t.klass('system-mine', 10))).message, /priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class/);
    assert.match((await rejection(t.klass('huge', 1_000_000_001))).message, /value: Forbidden: maximum allowed value of a user defined priority is 1000000000/);
    assert.match((await rejection(t.klass('bad', 1, { preemptionPolicy: 'Sometimes' }))).message, /preemptionPolicy: Unsupported value: "Sometimes"/);
    await t.klass('a', 1, { globalDefault: true });
    const second = await rejection(t.klass('b', 2, { globalDefault: true }));
    assert.equal(second.code, 'Forbidden');
    assert.match(second.message, /PriorityClass a is already marked as default. Only one default can exist/);
    const a = await t.classes.get(undefined, 'a');
    const changed = await rejection(t.classes.update(undefined, 'a', { ...a, value: 2 }, WRITE));
    assert.match(changed.message, /value: Forbidden: may not be changed in an update./);
  });
});

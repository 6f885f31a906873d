// ServiceAccount admission through a real ApiRegistry (memory store, the built-in kinds), chained
// with Priority admission as `k8ts server` wires them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { K8tsError } from '../../lib/errors.js';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import { RequestError } from './api-errors.js';
import { ApiRegistry } from './api-registry.js';
import { builtinKinds } from './kinds/index.js';
import { priorityHooksFor } from './priority-admission.js';
import { FakeClock } from './registry-fixtures.test.js';
import type { ResourceRegistry } from './registry-types.js';
import { API_TOKEN_MOUNT_PATH, serviceAccountHooksFor, tokenVolume } from './service-account-admission.js';
import { chainWriteHooks } from './write-hooks.js';

const WRITE = { dryRun: false, fieldValidation: 'Strict' } as const;
const MOUNT = { name: 'kube-api-access-abcde', readOnly: true, mountPath: API_TOKEN_MOUNT_PATH };

async function setup(options: { defaultAccount?: boolean } = {}) {
  const sleeps: number[] = [];
  const accountHooks = serviceAccountHooksFor({
    accounts: () => registry.lookup('', 'v1', 'serviceaccounts'),
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    randomName: () => 'kube-api-access-abcde',
  });
  const priorityHooks = priorityHooksFor(() => registry.lookup('scheduling.k8s.io', 'v1', 'priorityclasses'));
  const registry: ApiRegistry = new ApiRegistry({
    store: new MemoryStore(), kinds: builtinKinds, clock: new FakeClock(),
    writeHooks: (info) => chainWriteHooks([accountHooks(info), priorityHooks(info)]),
  });
  await registry.lookup('', 'v1', 'namespaces')?.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }, WRITE);
  const pods = registry.lookup('', 'v1', 'pods') as ResourceRegistry;
  const accounts = registry.lookup('', 'v1', 'serviceaccounts') as ResourceRegistry;
  const account = (name: string, extra: Record<string, unknown> = {}) =>
    accounts.create('default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'default' }, ...extra }, WRITE);
  if (options.defaultAccount !== false) await account('default');
  const createPod = async (name: string, spec: Partial<NonNullable<Pod['spec']>> = {}, metadata: Record<string, unknown> = {}): Promise<Pod> => {
    const body = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...metadata }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } };
    return (await pods.create('default', body, WRITE)).object as Pod;
  };
  return { pods, account, createPod, sleeps };
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (error instanceof RequestError) return { code: error.reason, message: error.message };
  assert.ok(error instanceof K8tsError, `expected an API error, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

describe('ServiceAccount admission', () => {
  it('runs as default and mounts kube-api-access-* in every container, as upstream writes it', async () => {
    const t = await setup();
    const pod = await t.createPod('p', {
      initContainers: [{ name: 'init', image: 'busybox' }],
      containers: [{ name: 'a', image: 'busybox', volumeMounts: [{ name: 'data', mountPath: '/data' }] }, { name: 'b', image: 'busybox' }],
      volumes: [{ name: 'data', emptyDir: {} }],
    });
    assert.equal(pod.spec?.serviceAccountName, 'default');
    assert.equal(pod.spec?.serviceAccount, 'default');
    assert.deepEqual(pod.spec?.volumes, [{ name: 'data', emptyDir: {} }, {
      name: 'kube-api-access-abcde',
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    }]);
    assert.deepEqual(pod.spec?.initContainers?.[0]?.volumeMounts, [MOUNT]);
    assert.deepEqual(pod.spec?.containers[0]?.volumeMounts, [{ name: 'data', mountPath: '/data' }, MOUNT]);
    assert.deepEqual(pod.spec?.containers[1]?.volumeMounts, [MOUNT]);
    // Priority admission still ran after it.
    assert.equal(pod.spec?.priority, 0);
  });

  it('names the volume kube-api-access- and 5 random characters by default', async () => {
    const hooks = serviceAccountHooksFor({ accounts: () => ({ get: () => Promise.resolve({ metadata: { name: 'default' } }) }) as unknown as ResourceRegistry });
    const pod = { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c' }] } };
    const finish = await hooks({ group: '', resource: 'pods' } as never)?.beginCreate?.(pod, { dryRun: false });
    await finish?.(true);
    assert.match((pod.spec as Pod['spec'])?.volumes?.[0]?.name ?? '', /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('adds nothing when the pod says automountServiceAccountToken: false', async () => {
    const t = await setup();
    const pod = await t.createPod('p', { automountServiceAccountToken: false });
    assert.equal(pod.spec?.volumes, undefined);
    assert.equal(pod.spec?.containers[0]?.volumeMounts, undefined);
  });

  it('follows the account when the pod does not say; the pod saying true wins over the account', async () => {
    const t = await setup();
    await t.account('quiet', { automountServiceAccountToken: false });
    const quiet = await t.createPod('quiet', { serviceAccountName: 'quiet' });
    assert.equal(quiet.spec?.volumes, undefined);
    assert.equal(quiet.spec?.serviceAccount, 'quiet');
    const forced = await t.createPod('forced', { serviceAccountName: 'quiet', automountServiceAccountToken: true });
    assert.equal(forced.spec?.volumes?.[0]?.name, 'kube-api-access-abcde');
  });

  it('keeps a container mount already at the path; no volume when no container needs it', async () => {
    const t = await setup();
    const own = { name: 'mine', mountPath: API_TOKEN_MOUNT_PATH };
    const pod = await t.createPod('p', {
      containers: [{ name: 'a', image: 'busybox', volumeMounts: [own] }],
      volumes: [{ name: 'mine', emptyDir: {} }],
    });
    assert.deepEqual(pod.spec?.containers[0]?.volumeMounts, [own]);
    assert.deepEqual(pod.spec?.volumes?.map((v) => v.name), ['mine']);
    const mixed = await t.createPod('mixed', {
      containers: [{ name: 'a', image: 'busybox', volumeMounts: [own] }, { name: 'b', image: 'busybox' }],
      volumes: [{ name: 'mine', emptyDir: {} }],
    });
    assert.deepEqual(mixed.spec?.containers[1]?.volumeMounts, [MOUNT]);
    assert.deepEqual(mixed.spec?.volumes?.map((v) => v.name), ['mine', 'kube-api-access-abcde']);
  });

  it('reuses a kube-api-access-* volume the pod already has (a re-created pod keeps its name)', async () => {
    const t = await setup();
    const pod = await t.createPod('p', { volumes: [tokenVolume('kube-api-access-zzzzz')] });
    assert.deepEqual(pod.spec?.volumes?.map((v) => v.name), ['kube-api-access-zzzzz']);
    assert.deepEqual(pod.spec?.containers[0]?.volumeMounts, [{ ...MOUNT, name: 'kube-api-access-zzzzz' }]);
  });

  it('refuses a pod whose ServiceAccount does not exist: 403 with upstream wording', async () => {
    const t = await setup();
    const refused = await rejection(t.createPod('p', { serviceAccountName: 'ghost' }));
    assert.equal(refused.code, 'Forbidden');
    assert.equal(refused.message, 'pods "p" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found');
    assert.deepEqual(t.sleeps, [], 'only `default` is looked up again');
    const generated = await rejection(t.createPod('', { serviceAccountName: 'ghost' }, { generateName: 'web-' }));
    assert.equal(generated.message, 'pods "web-" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found');
  });

  it('looks up `default` 10 times, 100-200 ms apart, before refusing', async () => {
    const t = await setup({ defaultAccount: false });
    const refused = await rejection(t.createPod('p'));
    assert.equal(refused.message, 'pods "p" is forbidden: error looking up service account default/default: serviceaccount "default" not found');
    assert.equal(t.sleeps.length, 9);
    assert.ok(t.sleeps.every((ms) => ms >= 100 && ms < 200 && ms === t.sleeps[0]));
  });

  it('copies the account imagePullSecrets into a pod without its own', async () => {
    const t = await setup();
    await t.account('puller', { imagePullSecrets: [{ name: 'regcred' }] });
    const pod = await t.createPod('p', { serviceAccountName: 'puller' });
    assert.deepEqual(pod.spec?.imagePullSecrets, [{ name: 'regcred' }]);
    const own = await t.createPod('own', { serviceAccountName: 'puller', imagePullSecrets: [{ name: 'mine' }] });
    assert.deepEqual(own.spec?.imagePullSecrets, [{ name: 'mine' }]);
  });

  it('leaves mirror pods and updates alone', async () => {
    const t = await setup();
    const mirror = await t.createPod('m', {}, { annotations: { 'kubernetes.io/config.mirror': 'x' } });
    assert.equal(mirror.spec?.volumes, undefined);
    const pod = await t.createPod('p', { automountServiceAccountToken: false });
    const updated = (await t.pods.update('default', 'p', { ...pod, metadata: { ...pod.metadata, labels: { a: 'b' } } }, WRITE)).object as Pod;
    assert.equal(updated.spec?.volumes, undefined);
  });
  it('a malformed spec (no body type check in this registry) never makes admission throw a TypeError', async () => {
    const t = await setup();
    const shapes: Record<string, unknown>[] = [
      { containers: 'x' }, { containers: [5, null] }, { containers: [{ name: 'c', image: 'x', volumeMounts: 5 }] },
      { volumes: 5 }, { volumes: [5] }, { initContainers: [7] }, { serviceAccountName: 5 },
    ];
    for (const [i, spec] of shapes.entries()) {
      // Validation here does not know every shape; what matters is an API error or a write, not a 500.
      const error = await t.createPod(`bad${i}`, spec as Partial<NonNullable<Pod['spec']>>).then(() => undefined, (e: unknown) => e);
      assert.ok(error === undefined || error instanceof K8tsError, `${JSON.stringify(spec)}: ${String(error)}`);
    }
    const { code } = await rejection(t.createPod('strings', { containers: 'x' } as unknown as Partial<NonNullable<Pod['spec']>>));
    assert.equal(code, 'Invalid');
  });
});

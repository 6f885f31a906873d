// Shared fixtures for the registry tests (no tests here): small strategies shaped like the real
// kinds (a Deployment with status + scale + generation, a Pod with graceful deletion and field
// selectors, a ConfigMap, a Namespace), a fake clock, and a registry over the memory store.
import assert from 'node:assert/strict';
import { invalid, type FieldError } from '../../api/field-error.js';
import type { KindInfo } from '../../api/kind-info.js';
import type { KubeObject } from '../../api/object.js';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import type { Store } from '../../storage/store.js';
import { GenericRegistry, type GenericRegistryOptions } from './generic-registry.js';
import type { WatchEvent, WriteOptions } from './registry-types.js';
import type { ResourceStrategy } from './strategy.js';

export const T0 = Date.parse('2026-11-27T05:00:00Z');

export class FakeClock {
  #now: number;
  constructor(start = T0) {
    this.#now = start;
  }
  now(): Date {
    return new Date(this.#now);
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

const TABLE = { columns: [], cells: () => [] };

function info(partial: Partial<KindInfo> & Pick<KindInfo, 'group' | 'kind' | 'resource'>): KindInfo {
  return {
    version: 'v1', listKind: `${partial.kind}List`, singular: partial.kind.toLowerCase(), namespaced: true,
    shortNames: [], categories: [], subresources: { status: false }, tracksGeneration: false, ...partial,
  };
}

function spec(obj: KubeObject): Record<string, unknown> {
  obj['spec'] ??= {};
  return obj['spec'] as Record<string, unknown>;
}

export const deploymentStrategy: ResourceStrategy = {
  info: info({
    group: 'apps', kind: 'Deployment', resource: 'deployments', tracksGeneration: true,
    subresources: { status: true, scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' } },
  }),
  defaults(obj) {
    spec(obj)['replicas'] ??= 1;
  },
  validate(obj) {
    const errors: FieldError[] = [];
    const replicas = spec(obj)['replicas'];
    if (typeof replicas === 'number' && replicas < 0) errors.push(invalid('spec.replicas', replicas, 'must be greater than or equal to 0'));
    if (spec(obj)['image'] === '') errors.push(invalid('spec.image', '', 'must not be empty'));
    return errors;
  },
  table: TABLE,
  fieldSelectors: {},
};

export const podStrategy: ResourceStrategy = {
  info: info({ group: '', kind: 'Pod', resource: 'pods', subresources: { status: true } }),
  prepareForCreate(obj) {
    obj['status'] = { phase: 'Pending' };
  },
  defaults() {},
  validate() {
    return [];
  },
  deletionGracePeriodSeconds(obj, requested) {
    const podSpec = (obj['spec'] ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
    if (!podSpec.nodeName) return 0;
    return requested ?? podSpec.terminationGracePeriodSeconds ?? 30;
  },
  table: TABLE,
  fieldSelectors: {
    'spec.nodeName': (obj) => String((obj['spec'] as { nodeName?: string } | undefined)?.nodeName ?? ''),
    'status.phase': (obj) => String((obj['status'] as { phase?: string } | undefined)?.phase ?? ''),
  },
};

export const configMapStrategy: ResourceStrategy = {
  info: info({ group: '', kind: 'ConfigMap', resource: 'configmaps' }),
  defaults() {},
  validate() {
    return [];
  },
  table: TABLE,
  fieldSelectors: {},
};

export const namespaceStrategy: ResourceStrategy = {
  info: info({ group: '', kind: 'Namespace', resource: 'namespaces', namespaced: false, subresources: { status: true } }),
  prepareForCreate(obj) {
    spec(obj)['finalizers'] = ['kubernetes'];
  },
  defaults(obj) {
    const status = (obj['status'] ??= {}) as Record<string, unknown>;
    status['phase'] ??= 'Active';
  },
  validate() {
    return [];
  },
  table: TABLE,
  fieldSelectors: { 'status.phase': (obj) => String((obj['status'] as { phase?: string } | undefined)?.phase ?? '') },
};

export const WRITE: WriteOptions = { dryRun: false, fieldValidation: 'Strict', fieldManager: 'test' };

export interface Harness {
  readonly store: Store;
  readonly clock: FakeClock;
  readonly registry: GenericRegistry;
}

export function harness(strategy: ResourceStrategy, options: Partial<GenericRegistryOptions> = {}): Harness {
  const store = options.store ?? new MemoryStore();
  const clock = new FakeClock();
  const registry = new GenericRegistry({ store, strategy, clock, ...options });
  return { store, clock, registry };
}

export function deployment(name: string, extra: { replicas?: number; labels?: Record<string, string>; image?: string } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: 'default', ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: { replicas: extra.replicas ?? 1, selector: { matchLabels: { app: name } }, image: extra.image ?? 'nginx' },
  };
}

export function pod(name: string, extra: { nodeName?: string; labels?: Record<string, string>; namespace?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: extra.namespace ?? 'default', ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...(extra.nodeName ? { nodeName: extra.nodeName } : {}) },
  };
}

/** The next event, failing the test (instead of hanging it) if none comes. */
export async function nextEvent(iterator: AsyncIterator<WatchEvent>): Promise<WatchEvent> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no watch event arrived')), 5000);
  });
  try {
    const result = await Promise.race([iterator.next(), guard]);
    assert.equal(result.done, false, 'the watch ended');
    return result.value;
  } finally {
    clearTimeout(timer);
  }
}

/** Whether the watch ends (done) as its next step. */
export async function ends(iterator: AsyncIterator<WatchEvent>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the watch neither ended nor sent an event')), 5000);
  });
  try {
    const result = await Promise.race([iterator.next(), guard]);
    return result.done === true;
  } finally {
    clearTimeout(timer);
  }
}

export function summary(event: WatchEvent): string {
  return `${event.type} ${event.object.metadata?.name ?? ''}@${event.object.metadata?.resourceVersion ?? ''}`;
}

/** A Store that forwards to `inner` except for the methods given (to inject races and failures). */
export function wrapStore(inner: Store, overrides: Partial<Store>): Store {
  return {
    get: (key) => inner.get(key),
    list: (options) => inner.list(options),
    count: (prefix) => inner.count(prefix),
    create: (key, value) => inner.create(key, value),
    update: (key, value, expected) => inner.update(key, value, expected),
    delete: (key, expected) => inner.delete(key, expected),
    watch: (options) => inner.watch(options),
    currentRevision: () => inner.currentRevision(),
    compact: (revision) => inner.compact(revision),
    compactedRevision: () => inner.compactedRevision(),
    close: () => inner.close(),
    ...overrides,
  };
}

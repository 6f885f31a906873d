// One resource of FakeClientSet: real-ish API semantics over FakeObjectStore (see fake-client-set.ts
// for what is and is not modelled). Every object handed in or out is a private copy.
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../api/object.js';
import { apiVersionOf } from '../../api/object.js';
import { formatLabelSelector } from '../../api/selectors/label-selector.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { Clock } from '../../lib/clock.js';
import { AlreadyExistsError, BadRequestError, ConflictError, NotFoundError } from '../../lib/errors.js';
import type {
  ClientDeleteOptions, ClientListOptions, ClientPatchType, ClientWatchEvent, ClientWatchOptions, ClientWriteOptions,
  ObjectList, ResourceClient, ResourceType, ClientPatchOptions } from '../resource-client.js';
import type { FakeAction } from './fake-action.js';
import { type FakeObjectStore, objectKeyOf, typeKeyOf } from './fake-object-store.js';
import { formatTimestamp, mergedWrite, objectMatcher, randomNameSuffix, tracksGeneration, type MutableMeta } from './fake-server-rules.js';
import { fakeWatch } from './fake-watch.js';
import { applyJsonPatch, applyMergePatch } from './json-merge-patch.js';

export interface FakeResourceClientOptions {
  readonly type: ResourceType;
  readonly store: FakeObjectStore;
  readonly clock: Clock;
  /** Logs the action and runs reactors; rejects with an injected error. */
  readonly record: (action: FakeAction) => Promise<void>;
}

export class FakeResourceClient<T extends KubeObject = KubeObject> implements ResourceClient<T> {
  readonly type: ResourceType;
  private readonly store: FakeObjectStore;
  private readonly clock: Clock;
  private readonly record: (action: FakeAction) => Promise<void>;
  private readonly typeKey: string;

  constructor(options: FakeResourceClientOptions) {
    this.type = options.type;
    this.store = options.store;
    this.clock = options.clock;
    this.record = options.record;
    this.typeKey = typeKeyOf(options.type);
  }

  /** `deployments.apps` / `pods`: how upstream names a resource in error messages. */
  private get qualifiedResource(): string {
    return this.type.group ? `${this.type.resource}.${this.type.group}` : this.type.resource;
  }

  private namespaceFor(namespace: string | undefined, object?: KubeObject): string | undefined {
    if (!this.type.namespaced) return undefined;
    const fromObject = object?.metadata?.namespace;
    if (namespace && fromObject && namespace !== fromObject) {
      throw new BadRequestError('the namespace of the provided object does not match the namespace sent on the request');
    }
    return namespace ?? fromObject ?? 'default';
  }

  private notFound(name: string): NotFoundError {
    return new NotFoundError(`${this.qualifiedResource} "${name}" not found`);
  }

  private conflict(
    name: string,
    detail = 'the object has been modified; please apply your changes to the latest version and try again',
    resource = this.qualifiedResource,
  ): ConflictError {
    return new ConflictError(`Operation cannot be fulfilled on ${resource} "${name}": ${detail}`, {
      currentRevision: this.store.currentRevision,
    });
  }

  private current(namespace: string | undefined, name: string): KubeObject {
    const stored = this.store.get(this.typeKey, objectKeyOf(namespace, name));
    if (!stored) throw this.notFound(name);
    return stored;
  }

  async get(namespace: string | undefined, name: string): Promise<T> {
    const ns = this.namespaceFor(namespace);
    await this.record({ verb: 'get', resource: this.type.resource, namespace: ns, name });
    return structuredClone(this.current(ns, name)) as T;
  }

  /** The Scale the API server derives from the object: spec.replicas, status.replicas, the selector as text. */
  async getScale(namespace: string | undefined, name: string): Promise<KubeObject> {
    const ns = this.namespaceFor(namespace);
    await this.record({ verb: 'get', resource: this.type.resource, namespace: ns, name, subresource: 'scale' });
    const object = this.current(ns, name) as KubeObject & { spec?: { replicas?: number; selector?: LabelSelector }; status?: { replicas?: number } };
    const selector = formatLabelSelector(object.spec?.selector);
    return {
      apiVersion: 'autoscaling/v1', kind: 'Scale',
      metadata: scaleMetadata(object.metadata ?? {}),
      spec: { replicas: object.spec?.replicas ?? 0 },
      status: { replicas: object.status?.replicas ?? 0, ...(selector !== '' ? { selector } : {}) },
    };
  }

  async list(namespace: string | undefined, options: ClientListOptions = {}): Promise<ObjectList<T>> {
    const ns = this.type.namespaced ? namespace : undefined;
    await this.record({ verb: 'list', resource: this.type.resource, namespace: ns, name: undefined });
    const matches = objectMatcher(ns, options.labelSelector, options.fieldSelector);
    const items = this.store
      .all(this.typeKey)
      .filter(matches)
      .sort((a, b) => objectKeyOf(a.metadata?.namespace, a.metadata?.name ?? '').localeCompare(objectKeyOf(b.metadata?.namespace, b.metadata?.name ?? '')))
      .map((object) => structuredClone(object) as T);
    return {
      apiVersion: apiVersionOf(this.type.group, this.type.version),
      kind: `${this.type.kind}List`,
      metadata: { resourceVersion: String(this.store.currentRevision) },
      items,
    };
  }

  private generateName(prefix: string, namespace: string | undefined): string {
    for (;;) {
      const name = `${prefix}${randomNameSuffix()}`;
      if (!this.store.get(this.typeKey, objectKeyOf(namespace, name))) return name;
    }
  }

  /** Stamps a new object as the server would; shared by create and seed. */
  prepareNew(namespace: string | undefined, object: T): KubeObject {
    const ns = this.namespaceFor(namespace, object);
    const copy = structuredClone(object) as KubeObject;
    const metadata: MutableMeta = { ...(copy.metadata ?? {}) };
    if (!metadata.name) {
      if (!metadata.generateName) throw new BadRequestError('name or generateName is required');
      metadata.name = this.generateName(metadata.generateName, ns);
    }
    if (ns !== undefined) metadata.namespace = ns;
    else delete metadata.namespace;
    delete metadata.resourceVersion;
    metadata.uid ??= randomUUID();
    metadata.creationTimestamp ??= formatTimestamp(this.clock.now());
    if (tracksGeneration(this.type)) metadata.generation = 1;
    copy.apiVersion = apiVersionOf(this.type.group, this.type.version);
    copy.kind = this.type.kind;
    copy.metadata = metadata;
    return copy;
  }

  /** Inserts without reactors or action log (FakeClientSet.seed). */
  insert(object: KubeObject): KubeObject {
    const key = objectKeyOf(object.metadata?.namespace, object.metadata?.name ?? '');
    if (this.store.get(this.typeKey, key)) throw new AlreadyExistsError(`${this.qualifiedResource} "${object.metadata?.name ?? ''}" already exists`);
    object.metadata = { ...object.metadata, resourceVersion: String(this.store.nextRevision()) };
    this.store.commit(this.typeKey, key, 'ADDED', object);
    return structuredClone(object);
  }

  async create(namespace: string | undefined, object: T, options: ClientWriteOptions = {}): Promise<T> {
    const prepared = this.prepareNew(namespace, object);
    const name = prepared.metadata?.name ?? '';
    const ns = prepared.metadata?.namespace;
    await this.record({ verb: 'create', resource: this.type.resource, namespace: ns, name });
    if (this.store.get(this.typeKey, objectKeyOf(ns, name))) throw new AlreadyExistsError(`${this.qualifiedResource} "${name}" already exists`);
    if (options.dryRun) return prepared as T;
    return this.insert(prepared) as T;
  }

  /** Writes `next` over `previous`: new resourceVersion, finalizer-completed deletes, watch event. */
  private commitUpdate(previous: KubeObject, next: KubeObject, dryRun: boolean | undefined): KubeObject {
    const metadata = next.metadata ?? {};
    if (metadata.deletionTimestamp && !metadata.finalizers?.length) return this.remove(previous, next, dryRun);
    if (dryRun) return next;
    next.metadata = { ...metadata, resourceVersion: String(this.store.nextRevision()) };
    this.store.commit(this.typeKey, objectKeyOf(metadata.namespace, metadata.name ?? ''), 'MODIFIED', next, previous);
    return structuredClone(next);
  }

  private remove(previous: KubeObject, last: KubeObject, dryRun: boolean | undefined): KubeObject {
    if (dryRun) return last;
    const metadata = last.metadata ?? {};
    last.metadata = { ...metadata, resourceVersion: String(this.store.nextRevision()) };
    this.store.commit(this.typeKey, objectKeyOf(metadata.namespace, metadata.name ?? ''), 'DELETED', last, previous);
    return structuredClone(last);
  }

  private merged(previous: KubeObject, incoming: KubeObject, status: boolean): KubeObject {
    const sentRv = incoming.metadata?.resourceVersion;
    if (sentRv && sentRv !== previous.metadata?.resourceVersion) throw this.conflict(previous.metadata?.name ?? '');
    return mergedWrite(this.type, previous, incoming, status);
  }

  private async write(namespace: string | undefined, object: T, status: boolean, options: ClientWriteOptions): Promise<T> {
    const ns = this.namespaceFor(namespace, object);
    const name = object.metadata?.name ?? '';
    await this.record(
      status
        ? { verb: 'update', resource: this.type.resource, namespace: ns, name, subresource: 'status' }
        : { verb: 'update', resource: this.type.resource, namespace: ns, name },
    );
    const previous = this.current(ns, name);
    // A PUT without metadata.resourceVersion is unconditional, as upstream allows for most kinds.
    return this.commitUpdate(previous, this.merged(previous, object, status), options.dryRun) as T;
  }

  update(namespace: string | undefined, object: T, options: ClientWriteOptions = {}): Promise<T> {
    return this.write(namespace, object, false, options);
  }

  updateStatus(namespace: string | undefined, object: T, options: ClientWriteOptions = {}): Promise<T> {
    return this.write(namespace, object, true, options);
  }

  async patch(
    namespace: string | undefined,
    name: string,
    type: ClientPatchType,
    patch: unknown,
    options: ClientPatchOptions = {},
  ): Promise<T> {
    const ns = this.namespaceFor(namespace);
    const subresource = options.subresource;
    await this.record(
      subresource
        ? { verb: 'patch', resource: this.type.resource, namespace: ns, name, subresource }
        : { verb: 'patch', resource: this.type.resource, namespace: ns, name },
    );
    if (subresource === 'scale') throw new BadRequestError('the fake client does not model the scale subresource');
    const previous = this.current(ns, name);
    const patched = (type === 'json' ? applyJsonPatch(previous, patch) : applyMergePatch(previous, patch)) as KubeObject;
    // A resourceVersion inside the patch is a precondition, as on the real server.
    const patchRv = patched.metadata?.resourceVersion;
    if (patchRv !== previous.metadata?.resourceVersion) throw this.conflict(name);
    return this.commitUpdate(previous, this.merged(previous, patched, subresource === 'status'), options.dryRun) as T;
  }

  async delete(namespace: string | undefined, name: string, options: ClientDeleteOptions = {}): Promise<T> {
    const ns = this.namespaceFor(namespace);
    await this.record({ verb: 'delete', resource: this.type.resource, namespace: ns, name });
    const previous = this.current(ns, name);
    const pre = options.preconditions;
    if (pre?.uid !== undefined && pre.uid !== previous.metadata?.uid) {
      throw this.conflict(name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${previous.metadata?.uid ?? ''}`);
    }
    if (pre?.resourceVersion !== undefined && pre.resourceVersion !== previous.metadata?.resourceVersion) {
      throw this.conflict(name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${previous.metadata?.resourceVersion ?? ''}`);
    }
    const next = structuredClone(previous);
    const metadata: MutableMeta = { ...next.metadata };
    if (metadata.finalizers?.length) {
      if (metadata.deletionTimestamp) return structuredClone(previous) as T;
      metadata.deletionTimestamp = formatTimestamp(this.clock.now());
      metadata.deletionGracePeriodSeconds = 0;
      if (metadata.generation) metadata.generation += 1;
      next.metadata = metadata;
      return this.commitUpdate(previous, next, false) as T;
    }
    return this.remove(previous, next, false) as T;
  }

  watch(namespace: string | undefined, options: ClientWatchOptions): AsyncIterable<ClientWatchEvent<T>> {
    const ns = this.type.namespaced ? namespace : undefined;
    const matches = objectMatcher(ns, options.labelSelector, options.fieldSelector);
    const record = this.record({ verb: 'watch', resource: this.type.resource, namespace: ns, name: undefined });
    const { store, typeKey } = this;
    return {
      async *[Symbol.asyncIterator]() {
        await record;
        yield* fakeWatch({ store, typeKey, matches, resourceVersion: options.resourceVersion, signal: options.signal }) as AsyncGenerator<ClientWatchEvent<T>>;
      },
    };
  }

  async createSubresource(namespace: string | undefined, name: string, subresource: string, body: KubeObject): Promise<KubeObject> {
    const ns = this.namespaceFor(namespace);
    await this.record({ verb: 'create', resource: this.type.resource, namespace: ns, name, subresource });
    if (this.type.resource !== 'pods' || (subresource !== 'binding' && subresource !== 'eviction')) {
      throw new NotFoundError(`the server could not find the requested resource (post ${this.type.resource} ${name}/${subresource})`);
    }
    if (subresource === 'eviction') {
      await this.delete(ns, name);
      return { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Success' };
    }
    const previous = this.current(ns, name);
    const target = (body as { target?: { name?: string } }).target?.name;
    if (!target) throw new BadRequestError('binding.target.name: Required value');
    const next = structuredClone(previous) as KubeObject & { spec?: { nodeName?: string }; status?: { conditions?: unknown[] } };
    const bound = next.spec?.nodeName;
    if (bound) throw this.conflict(name, `pod ${name} is already assigned to node "${bound}"`, 'pods/binding');
    next.spec = { ...next.spec, nodeName: target };
    const conditions = (next.status?.conditions ?? []) as { type?: string }[];
    const scheduled = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: formatTimestamp(this.clock.now()) };
    next.status = { ...next.status, conditions: [...conditions.filter((c) => c.type !== 'PodScheduled'), scheduled] };
    this.commitUpdate(previous, next, false);
    return { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Success', code: 201 };
  }
}

/** The object's identity and version, as upstream's scale subresource answers them. */
function scaleMetadata(meta: NonNullable<KubeObject['metadata']>): NonNullable<KubeObject['metadata']> {
  const { name, namespace, uid, resourceVersion, creationTimestamp } = meta;
  return Object.fromEntries(Object.entries({ name, namespace, uid, resourceVersion, creationTimestamp }).filter(([, value]) => value !== undefined));
}

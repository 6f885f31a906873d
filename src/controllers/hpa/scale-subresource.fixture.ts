// For HPA tests: FakeClientSet reads Scales (getScale) but does not write them, so this ClientSet
// answers `patch(..., { subresource: 'scale' })` on the scalable kinds the way the API server does
// (an autoscaling/v1 Scale view of spec.replicas, status.replicas and the selector; a
// resourceVersion in the patch is a precondition), records the writes, and passes everything else
// to the fake.
import type { KubeObject } from '../../api/object.js';
import { formatLabelSelector } from '../../api/selectors/label-selector.js';
import type { FakeClientSet } from '../../client/fake/fake-client-set.js';
import type { ClientPatchOptions, ClientPatchType, ClientSet, ResourceClient, ResourceType } from '../../client/resource-client.js';
import { DEPLOYMENTS, REPLICASETS, STATEFUL_SETS } from '../../client/resource-types.js';
import { ConflictError } from '../../lib/errors.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';

const SCALABLE = new Set([DEPLOYMENTS, REPLICASETS, STATEFUL_SETS].map((t) => t.resource));

interface Scalable extends KubeObject {
  spec?: { replicas?: number; selector?: LabelSelector };
  status?: { replicas?: number };
}

function toScale(object: Scalable): KubeObject {
  const { name = '', namespace = '', uid = '', resourceVersion = '' } = object.metadata ?? {};
  return {
    apiVersion: 'autoscaling/v1', kind: 'Scale',
    metadata: { name, namespace, uid, resourceVersion },
    spec: { replicas: object.spec?.replicas ?? 0 },
    status: { replicas: object.status?.replicas ?? 0, selector: formatLabelSelector(object.spec?.selector) },
  };
}

export class ScaleSubresourceClients implements ClientSet {
  readonly #fake: FakeClientSet;
  /** Scale writes that changed something, in order. */
  readonly scaleWrites: { readonly resource: string; readonly name: string; readonly replicas: number }[] = [];
  /** Makes every scale write fail with this error while set. */
  failScaleWrites: Error | undefined;

  constructor(fake: FakeClientSet) {
    this.#fake = fake;
  }

  resource<T extends KubeObject = KubeObject>(type: ResourceType): ResourceClient<T> {
    const inner = this.#fake.resource<T>(type);
    if (!SCALABLE.has(type.resource)) return inner;
    const patch = async (namespace: string | undefined, name: string, patchType: ClientPatchType, body: unknown, options: ClientPatchOptions = {}): Promise<T> => {
      if (options.subresource !== 'scale') return inner.patch(namespace, name, patchType, body, options);
      const current = (await inner.get(namespace, name)) as Scalable;
      const change = body as { metadata?: { resourceVersion?: string }; spec?: { replicas?: number } };
      const precondition = change.metadata?.resourceVersion;
      if (precondition !== undefined && precondition !== current.metadata?.resourceVersion) throw new ConflictError(`Operation cannot be fulfilled on ${type.resource} "${name}"`);
      const replicas = change.spec?.replicas;
      if (replicas === undefined || replicas === current.spec?.replicas) return toScale(current) as T;
      if (this.failScaleWrites) throw this.failScaleWrites;
      const updated = (await inner.update(namespace, { ...current, spec: { ...current.spec, replicas } } as unknown as T)) as Scalable;
      this.scaleWrites.push({ resource: type.resource, name, replicas });
      return toScale(updated) as T;
    };
    return new Proxy(inner, {
      get: (target, property): unknown => {
        if (property === 'patch') return patch;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }
}

// pods/binding (POST /api/v1/namespaces/{ns}/pods/{name}/binding): how the scheduler assigns a
// pod to a node. Pod update validation forbids changing spec.nodeName, so like upstream's
// BindingREST this is its own write: check the pod is unbound and not being deleted, set
// spec.nodeName, copy the Binding's annotations, and set PodScheduled=True, through the
// registry's writeInternal (a compare-and-swap that skips update validation; retried on a lost
// race, as upstream's GuaranteedUpdate does).
import { invalid, required } from '../../api/field-error.js';
import type { KubeObject } from '../../api/object.js';
import { ConflictError } from '../../lib/errors.js';
import { InvalidError, ResourceConflictError } from './api-errors.js';
import { MAX_WRITE_ATTEMPTS, rfc3339 } from './registry-context.js';
import type { ResourceRegistry } from './registry-types.js';
import { subresourceNotFound } from './put-operation.js';

const BINDING_RESOURCE = { group: '', resource: 'pods/binding' };

interface BindingBody {
  metadata?: { name?: string; annotations?: Record<string, string> };
  target?: { kind?: string; name?: string };
}

interface PodShape extends KubeObject {
  spec?: { nodeName?: string; [field: string]: unknown };
  status?: { conditions?: { type?: string; [field: string]: unknown }[]; [field: string]: unknown };
}

/** The Status a successful binding answers with (HTTP 201), as upstream. */
export const BINDING_SUCCESS: KubeObject = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };

function validateBinding(name: string, binding: BindingBody): void {
  const target = binding.target;
  if (!target?.name) throw new InvalidError({ group: '', kind: 'Binding' }, name, [required('target.name')]);
  if (target.kind !== undefined && target.kind !== '' && target.kind !== 'Node') {
    throw new InvalidError({ group: '', kind: 'Binding' }, name, [invalid('target.kind', target.kind, 'must be empty or Node')]);
  }
}

/** Binds pod `name` to `binding.target.name`; returns the updated pod. */
export async function bindPod(
  registry: ResourceRegistry, namespace: string | undefined, name: string, binding: KubeObject, now: Date,
): Promise<KubeObject> {
  if (!registry.writeInternal || registry.strategy.info.resource !== 'pods' || registry.strategy.info.group !== '') throw subresourceNotFound();
  const body = binding as BindingBody;
  validateBinding(name, body);
  const node = body.target?.name ?? '';
  const assign = (current: KubeObject): KubeObject => {
    const pod = current as PodShape;
    if (pod.metadata?.deletionTimestamp) {
      throw new ResourceConflictError(BINDING_RESOURCE, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    }
    const bound = pod.spec?.nodeName;
    if (bound) throw new ResourceConflictError(BINDING_RESOURCE, name, `pod ${name} is already assigned to node "${bound}"`);
    const annotations = body.metadata?.annotations;
    const metadata = annotations ? { ...pod.metadata, annotations: { ...pod.metadata?.annotations, ...annotations } } : pod.metadata;
    const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(now) });
    return { ...pod, ...(metadata ? { metadata } : {}), spec: { ...pod.spec, nodeName: node }, status: { ...pod.status, conditions } };
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await registry.writeInternal(namespace, name, assign);
    } catch (error) {
      // A lost compare-and-swap (not our own "already assigned"): re-read and try again.
      const lostRace = error instanceof ConflictError && !(error instanceof ResourceConflictError && error.qualifiedResource === BINDING_RESOURCE);
      if (!lostRace || attempt >= MAX_WRITE_ATTEMPTS) throw error;
    }
  }
}

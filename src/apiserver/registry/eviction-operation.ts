// pods/eviction (POST .../pods/{name}/eviction, a policy/v1 or v1beta1 Eviction): a delete that
// honours PodDisruptionBudgets. The rules are upstream's EvictionREST (pkg/registry/core/pod/
// storage/eviction.go), restated:
//   - A pod that is already terminal (Succeeded/Failed), Pending or being deleted has either
//     already disrupted its application or never served it: it is deleted without any PDB
//     check (non-terminal ones with a resourceVersion precondition, so a pod that turned Ready
//     in between is not deleted past its budget).
//   - Otherwise the PDBs whose selector matches the pod are found (a nil or empty selector
//     matches nothing here). More than one: 500, upstream does not support that. None: delete.
//   - A pod that is not Ready does not count as healthy: when the budget is met
//     (currentHealthy >= desiredHealthy > 0), or the PDB says unhealthyPodEvictionPolicy
//     AlwaysAllow, it is deleted without taking a disruption (resourceVersion precondition).
//   - Else the budget must allow a disruption: status.observedGeneration must have caught up with
//     the spec and status.disruptionsAllowed must be > 0, otherwise 429 TooManyRequests. The
//     status is written back (compare-and-swap, re-read on conflict) with disruptionsAllowed - 1
//     and the pod in status.disruptedPods, so the disruption controller does not count it as
//     healthy before it sees the deletion; then the pod is deleted.
// Deleting first stamps the DisruptionTarget condition on the pod (upstream since 1.26).
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { KubeObject } from '../../api/object.js';
import { labelSelectorFromObject, matchesLabels, selectsEverything } from '../../api/selectors/label-selector.js';
import { BadRequestError, ConflictError } from '../../lib/errors.js';
import { ForbiddenError, PreconditionFailedError } from './api-errors.js';
import { MAX_WRITE_ATTEMPTS, rfc3339 } from './registry-context.js';
import type { ApiRegistryView, DeleteOptions, ResourceRegistry } from './registry-types.js';
import { subresourceNotFound } from './put-operation.js';

/** Upstream's MaxDisruptedPodSize: more unconfirmed evictions than this and the PDB refuses. */
const MAX_DISRUPTED_POD_SIZE = 2000;
const PODS = { group: '', resource: 'pods' };
const PDB_RESOURCE = { group: 'policy', resource: 'poddisruptionbudget' };
export const VIOLATES_BUDGET = "Cannot evict pod as it would violate the pod's disruption budget.";

/** What the request answers: 201 Success, or a Failure Status (429, 500) sent as it is. */
export interface EvictionResult {
  readonly code: number;
  readonly status: KubeObject;
}

export interface EvictionContext {
  readonly registry: ApiRegistryView;
  readonly now: () => Date;
}

interface EvictionBody {
  metadata?: { name?: string; namespace?: string };
  deleteOptions?: Record<string, unknown> | null;
}

function failure(code: number, reason: string | undefined, message: string, causes?: { reason: string; message: string }[]): EvictionResult {
  return {
    code,
    status: {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message,
      ...(reason !== undefined ? { reason } : {}),
      ...(causes ? { details: { causes } } : {}),
      code,
    },
  };
}

const SUCCESS: EvictionResult = { code: 201, status: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } };

function budgetFailure(cause: string): EvictionResult {
  return failure(429, 'TooManyRequests', VIOLATES_BUDGET, [{ reason: 'DisruptionBudget', message: cause }]);
}

function isReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function canIgnoreBudget(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || pod.metadata?.deletionTimestamp !== undefined;
}

/** A terminal or deleting pod cannot turn Ready again; any other may, between read and delete. */
function mustPinResourceVersion(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return !(phase === 'Succeeded' || phase === 'Failed' || pod.metadata?.deletionTimestamp !== undefined);
}

function matchingBudgets(pdbs: readonly KubeObject[], pod: Pod): PodDisruptionBudget[] {
  return (pdbs as readonly PodDisruptionBudget[]).filter((pdb) => {
    try {
      const selector = labelSelectorFromObject(pdb.spec?.selector);
      return !selector.matchesNothing && !selectsEverything(selector) && matchesLabels(selector, pod.metadata?.labels);
    } catch {
      return false;
    }
  });
}

/** Evicts pod `name`; throws the usual errors (404 pod, 409 preconditions, 400 body). */
export async function evictPod(
  ctx: EvictionContext, pods: ResourceRegistry, namespace: string, name: string, body: KubeObject, deleteOptions: DeleteOptions,
): Promise<EvictionResult> {
  if (pods.strategy.info.resource !== 'pods' || pods.strategy.info.group !== '') throw subresourceNotFound();
  const eviction = body as EvictionBody;
  if (eviction.metadata?.name !== name) throw new BadRequestError('name in URL does not match name in Eviction object');
  const pinned = deleteOptions.preconditions?.resourceVersion !== undefined;

  for (let attempt = 1; ; attempt++) {
    const pod = await pods.get(namespace, name) as Pod;
    let options = deleteOptions;
    if (canIgnoreBudget(pod)) {
      if (mustPinResourceVersion(pod)) options = pinResourceVersion(options, pod);
    } else {
      const budgets = ctx.registry.lookup('policy', 'v1', 'poddisruptionbudgets');
      const matching = budgets ? matchingBudgets((await budgets.list(namespace, {})).items, pod) : [];
      if (matching.length > 1) {
        return failure(500, undefined, 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
      }
      const [pdb] = matching;
      if (pdb && budgets) {
        const desired = pdb.status?.desiredHealthy ?? 0;
        const healthyEnough = (pdb.status?.currentHealthy ?? 0) >= desired && desired > 0;
        if (!isReady(pod) && (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' || healthyEnough)) {
          // Not Ready: not counted as healthy, so evicting it takes no disruption.
          options = pinResourceVersion(options, pod);
        } else {
          const refused = await takeDisruption(ctx, budgets, pdb, name, options.dryRun);
          if (refused) return refused;
        }
      }
    }
    try {
      await deleteWithCondition(ctx, pods, namespace, name, options);
      return SUCCESS;
    } catch (error) {
      // The pod changed under us (our own resourceVersion pin): look again, as upstream retries.
      // A precondition the client gave is its own business: no retry.
      if (!(error instanceof ConflictError) || pinned || attempt >= MAX_WRITE_ATTEMPTS) throw error;
    }
  }
}

function pinResourceVersion(options: DeleteOptions, pod: Pod): DeleteOptions {
  if (options.preconditions?.resourceVersion !== undefined || pod.metadata?.resourceVersion === undefined) return options;
  return { ...options, preconditions: { ...options.preconditions, resourceVersion: pod.metadata.resourceVersion } };
}

/** Decrements the budget (compare-and-swap, refreshed on conflict); a Status when it refuses. */
async function takeDisruption(
  ctx: EvictionContext, budgets: ResourceRegistry, first: PodDisruptionBudget, podName: string, dryRun: boolean,
): Promise<EvictionResult | undefined> {
  let pdb = first;
  for (let attempt = 1; ; attempt++) {
    const name = pdb.metadata?.name ?? '';
    const status = pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 };
    if ((status.observedGeneration ?? 0) < (pdb.metadata?.generation ?? 0)) {
      return budgetFailure(`The disruption budget ${name} is still being processed by the server.`);
    }
    if (status.disruptionsAllowed < 0) throw forbidden(name, 'pdb disruptions allowed is negative');
    if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
      throw forbidden(name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
    }
    if (status.disruptionsAllowed === 0) {
      return budgetFailure(`The disruption budget ${name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`);
    }
    if (dryRun) return undefined;
    const allowed = status.disruptionsAllowed - 1;
    const next: PodDisruptionBudget = {
      ...pdb,
      status: {
        ...status,
        disruptionsAllowed: allowed,
        disruptedPods: { ...status.disruptedPods, [podName]: rfc3339(ctx.now()) },
        ...(allowed === 0 ? { conditions: insufficientCondition(status.conditions ?? [], pdb.metadata?.generation, ctx.now()) } : {}),
      },
    };
    try {
      await budgets.update(pdb.metadata?.namespace, name, next as KubeObject, { dryRun: false, fieldValidation: 'Ignore', subresource: 'status' });
      return undefined;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= MAX_WRITE_ATTEMPTS) throw error;
      pdb = await budgets.get(pdb.metadata?.namespace, name) as PodDisruptionBudget;
    }
  }
}

type Condition = NonNullable<NonNullable<PodDisruptionBudget['status']>['conditions']>[number];

/** Upstream's UpdateDisruptionAllowedCondition once the last disruption is taken. */
function insufficientCondition(conditions: readonly Condition[], generation: number | undefined, now: Date): Condition[] {
  const old = conditions.find((c) => c.type === 'DisruptionAllowed');
  const next: Condition = {
    type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '',
    lastTransitionTime: old?.status === 'False' ? old.lastTransitionTime : rfc3339(now),
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
  };
  return [...conditions.filter((c) => c.type !== 'DisruptionAllowed'), next];
}

function forbidden(name: string, reason: string): Error {
  return new ForbiddenError(PDB_RESOURCE, name, reason);
}

/** Stamps DisruptionTarget on the pod (checking the preconditions first), then deletes it. */
async function deleteWithCondition(
  ctx: EvictionContext, pods: ResourceRegistry, namespace: string, name: string, options: DeleteOptions,
): Promise<void> {
  let deleteOptions = options;
  if (!options.dryRun && pods.writeInternal) {
    const wanted = options.preconditions;
    await pods.writeInternal(namespace, name, (current) => {
      const pod = current as Pod;
      if (wanted?.uid !== undefined && wanted.uid !== pod.metadata?.uid) {
        throw new PreconditionFailedError(PODS, name, `UID in precondition: ${wanted.uid}, UID in object meta: ${pod.metadata?.uid ?? ''}`);
      }
      if (wanted?.resourceVersion !== undefined && wanted.resourceVersion !== pod.metadata?.resourceVersion) {
        throw new PreconditionFailedError(PODS, name,
          `ResourceVersion in precondition: ${wanted.resourceVersion}, ResourceVersion in object meta: ${pod.metadata?.resourceVersion ?? ''}`);
      }
      const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
      conditions.push({ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting', lastTransitionTime: rfc3339(ctx.now()) });
      return { ...current, status: { ...pod.status, conditions } };
    });
    // The condition write moved the resourceVersion on: only the uid still means something.
    deleteOptions = { ...options, ...(wanted?.uid !== undefined ? { preconditions: { uid: wanted.uid } } : {}) };
    if (wanted?.uid === undefined) delete (deleteOptions as { preconditions?: unknown }).preconditions;
  }
  await pods.delete(namespace, name, deleteOptions);
}

// The deletion path of one pod on this node, as kubelet's killPod and pod cleanup: every container
// stops within the grace (the spec's in upstream's termination order, termination-order.ts; ones
// the spec does not name just stop), then the sandbox; the terminating status is reported; sandbox
// and containers are removed, the pod's back-offs and status forgotten, its directory removed.
// Last the pod object is deleted with gracePeriodSeconds 0 (the registry keeps a bound pod until
// its node is done with it). It is apart from pod-sync.ts, which decides when this runs
// (deletionTimestamp, the object gone, agent shutdown) and lends the steps it shares with a sync.
import type { Container } from 'kubernetes-types/core/v1.js';
import { PODS } from '../client/resource-types.js';
import { ConflictError, NotFoundError } from '../lib/errors.js';
import type { ContainerRecords } from './container-records.js';
import type { PodObject } from './object-types.js';
import type { PodSyncDeps } from './pod-sync-deps.js';
import { removePodDirs } from './pod-volumes.js';
import type { SandboxStatus } from './runtime/runtime.js';
import type { StopTarget } from './termination-order.js';

export interface RemoveFromRuntimeRequest {
  readonly deps: PodSyncDeps;
  readonly records: ContainerRecords;
  readonly sandbox: SandboxStatus | undefined;
  /** Undefined: the pod object is gone, only what the runtime holds is known. */
  readonly pod: PodObject | undefined;
  readonly graceSeconds: number;
  /** The running current attempts of these containers. */
  readonly running: (containers: readonly Container[]) => readonly StopTarget[];
  /** Stops them in termination order. */
  readonly stopInOrder: (pod: PodObject, targets: readonly StopTarget[], graceSeconds: number) => Promise<void>;
  /** Reports the pod's terminating status. */
  readonly writeStatus: (pod: PodObject) => Promise<void>;
}

/** Stops and removes the pod's containers and sandbox; the records end empty. */
export async function removeFromRuntime(request: RemoveFromRuntimeRequest): Promise<void> {
  const { deps: { runtime }, records, sandbox, pod, graceSeconds } = request;
  await records.refresh(runtime);
  const targets = pod ? request.running([...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) : [];
  // Containers the spec does not name (the pod object is gone, or it changed) just stop.
  const strays = records.all().filter((c) => c.state === 'running' && !targets.some((t) => t.id === c.id));
  await Promise.all([...strays.map((c) => runtime.stopContainer(c.id, graceSeconds)), pod && request.stopInOrder(pod, targets, graceSeconds)]);
  if (sandbox) await runtime.stopPodSandbox(sandbox.id);
  await records.refresh(runtime);
  if (pod) await request.writeStatus(pod);
  if (sandbox) await runtime.removePodSandbox(sandbox.id);
  for (const c of records.all()) {
    try {
      await runtime.removeContainer(c.id);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  records.clear();
}

/** Forgets the pod's back-offs and last status and removes its directory (volumes, logs). */
export async function releaseNodeState(deps: PodSyncDeps, uid: string): Promise<void> {
  deps.backoff.forgetPrefix(`${uid}/`);
  deps.statusWriter.forget(uid);
  // In the data dir and the memory root (secret/projected volumes).
  await removePodDirs(deps, uid);
}

/** Deletes the pod object for good once nothing of it runs here. */
export async function finishDeletion(deps: PodSyncDeps, pod: PodObject, uid: string): Promise<void> {
  try {
    await deps.clients.resource<PodObject>(PODS).delete(pod.metadata?.namespace, pod.metadata?.name ?? '', {
      gracePeriodSeconds: 0,
      preconditions: { uid },
    });
  } catch (error) {
    // Gone already, or a different pod of the same name now: nothing of ours to delete.
    if (!(error instanceof NotFoundError) && !(error instanceof ConflictError)) throw error;
  }
}

// Re-adoption: what the runtime is already running for this node's pods (after an agent restart)
// is found through the labels the agent put on it, and handed to the pods' workers instead of
// being started a second time. What belongs to pods that no longer exist (deleted while the agent
// was down) is stopped and removed.
import type { Logger } from '../lib/logger.js';
import type { Adopted } from './pod-sync.js';
import { MANAGED_LABEL, POD_UID_LABEL } from './runtime-labels.js';
import type { ContainerRuntime, ContainerStatus, SandboxStatus } from './runtime/runtime.js';

export interface RuntimeInventory {
  /** Per pod UID: the sandbox to keep (the newest ready one, else the newest) and its containers. */
  readonly pods: Map<string, Adopted>;
  /** Further sandboxes of the same pods: duplicates to remove. */
  readonly duplicates: SandboxStatus[];
}

function isOurs(labels: Readonly<Record<string, string>>): boolean {
  return labels[MANAGED_LABEL] === 'true' || labels[POD_UID_LABEL] !== undefined;
}

export async function takeInventory(runtime: ContainerRuntime): Promise<RuntimeInventory> {
  const sandboxes = (await runtime.listPodSandboxes()).filter((s) => isOurs(s.labels));
  const containers = (await runtime.listContainers()).filter((c) => isOurs(c.labels));
  const bySandbox = new Map<string, ContainerStatus[]>();
  for (const c of containers) bySandbox.set(c.sandboxId, [...(bySandbox.get(c.sandboxId) ?? []), c]);
  const byPod = new Map<string, SandboxStatus[]>();
  for (const s of sandboxes) {
    const uid = s.labels[POD_UID_LABEL] ?? s.podUid;
    byPod.set(uid, [...(byPod.get(uid) ?? []), s]);
  }
  const pods = new Map<string, Adopted>();
  const duplicates: SandboxStatus[] = [];
  for (const [uid, list] of byPod) {
    list.sort((a, b) => Number(b.state === 'ready') - Number(a.state === 'ready') || b.createdAt.getTime() - a.createdAt.getTime());
    const [keep, ...rest] = list;
    if (!keep) continue;
    pods.set(uid, { sandbox: keep, containers: bySandbox.get(keep.id) ?? [] });
    duplicates.push(...rest);
  }
  return { pods, duplicates };
}

/** Stops and removes sandboxes (with their containers) of pods not in `liveUids`, and duplicates. */
export async function removeOrphans(runtime: ContainerRuntime, inventory: RuntimeInventory, liveUids: ReadonlySet<string>, logger: Logger): Promise<string[]> {
  const removed: string[] = [];
  const doomed = [...inventory.duplicates];
  for (const [uid, adopted] of inventory.pods) {
    if (!liveUids.has(uid) && adopted.sandbox) doomed.push(adopted.sandbox);
  }
  for (const sandbox of doomed) {
    try {
      await runtime.stopPodSandbox(sandbox.id);
      await runtime.removePodSandbox(sandbox.id);
      removed.push(sandbox.id);
      logger.info({ sandbox: sandbox.id, uid: sandbox.podUid }, 'removed sandbox of a pod that is gone');
    } catch (error) {
      logger.warn({ err: error, sandbox: sandbox.id }, 'could not remove orphaned sandbox');
    }
  }
  return removed;
}

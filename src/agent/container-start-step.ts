// The per-container step of a pod's sync, as kubelet's computePodActions + startContainer for one
// container: a container with no attempt yet starts, one created but not started is started, an
// exited one is restarted when restartPolicy says so (after its CrashLoopBackOff), and a fresh
// start runs its postStart hook (post-start-hook.ts). It is apart from pod-sync.ts, which keeps the
// order of a pass (init sequence, probes, status, deletion), so each file holds one concern. What a
// pass learns here (why a container waits, when a back-off ends, the image a start resolved) stays
// here for the status and for when to sync next.
import type { Container } from 'kubernetes-types/core/v1.js';
import { hostname } from 'node:os';
import { formatGoDuration } from './backoff.js';
import { writeHostsFile } from './hosts-file-mount.js';
import type { ContainerRecords } from './container-records.js';
import { podRef } from './lifecycle-handler.js';
import type { PodObject } from './object-types.js';
import { POST_START_HOOK_ERROR, runPostStartHook } from './post-start-hook.js';
import type { PodSyncDeps } from './pod-sync-deps.js';
import { podDir } from './pod-volumes.js';
import type { ContainerStatus, SandboxStatus } from './runtime/runtime.js';
import { shouldRestart } from './sidecar-plan.js';

export interface Waiting {
  readonly reason: string;
  readonly message: string;
}

/** Where this pass starts containers; without a sandbox or volumes nothing starts. */
export interface StartPlace {
  readonly sandbox: SandboxStatus | undefined;
  readonly volumes: ReadonlyMap<string, string> | undefined;
  readonly logDirectory: string;
  readonly podIP: string | undefined;
}

export interface ContainerStartStepOptions {
  readonly deps: PodSyncDeps;
  readonly uid: string;
  readonly records: ContainerRecords;
  /** Reports the pod's status now: a restart shows the exit before acting on it. */
  readonly writeStatus: (pod: PodObject) => Promise<void>;
}

export class ContainerStartStep {
  private readonly deps: PodSyncDeps;
  private readonly uid: string;
  private readonly records: ContainerRecords;
  private readonly writeStatus: (pod: PodObject) => Promise<void>;
  private readonly imageRefs = new Map<string, string>();
  private waiting = new Map<string, Waiting>();
  /** Earliest time (ms) something waits for: a back-off expiring. */
  private wakeAtMs: number | undefined;

  constructor(options: ContainerStartStepOptions) {
    this.deps = options.deps;
    this.uid = options.uid;
    this.records = options.records;
    this.writeStatus = options.writeStatus;
  }

  /** A new pass: the waiting reasons and wake-up time of the last one no longer hold. */
  beginPass(): void {
    this.waiting = new Map();
    this.wakeAtMs = undefined;
  }

  /** When a back-off (crash loop or image pull) of this pass ends, in ms since epoch. */
  get wakeAt(): number | undefined {
    return this.wakeAtMs;
  }

  waitingFor(name: string): Waiting | undefined {
    return this.waiting.get(name);
  }

  imageRef(name: string): string | undefined {
    return this.imageRefs.get(name);
  }

  /** Starts `container` if it should run and does not; true when it asked the runtime for anything (or may have). */
  async sync(pod: PodObject, container: Container, place: StartPlace): Promise<boolean> {
    const current = this.records.current(container.name);
    if (!current) await this.start(pod, container, this.nextAttempt(pod, container), place);
    else if (current.state === 'created') await this.deps.runtime.startContainer(current.id);
    else if (current.state === 'exited' && shouldRestart(pod, container, current.exitCode)) await this.restartWithBackoff(pod, container, current, place);
    else return false;
    return true;
  }

  /** The next attempt number: after the newest runtime attempt, else after what the pod status remembers. */
  private nextAttempt(pod: PodObject, container: Container): number {
    const current = this.records.current(container.name);
    if (current) return current.attempt + 1;
    const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
    const known = statuses.find((s) => s.name === container.name);
    return known?.containerID ? known.restartCount + 1 : 0;
  }

  private wakeNoLaterThan(at: number): void {
    if (this.wakeAtMs === undefined || at < this.wakeAtMs) this.wakeAtMs = at;
  }

  private async restartWithBackoff(pod: PodObject, container: Container, exited: ContainerStatus, place: StartPlace): Promise<void> {
    const { backoff, clock, recorder } = this.deps;
    const key = `${this.uid}/${container.name}`;
    const finishedAt = exited.finishedAt ?? exited.createdAt;
    const now = clock.now();
    if (backoff.isInBackOffSince(key, finishedAt, now)) {
      const delay = formatGoDuration(backoff.delayMs(key));
      this.waiting.set(container.name, {
        reason: 'CrashLoopBackOff',
        message: `back-off ${delay} restarting failed container=${container.name} pod=${podRef(pod)}`,
      });
      recorder.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${container.name} in pod ${podRef(pod)}`);
      const readyAt = backoff.readyAt(key, finishedAt);
      if (readyAt !== undefined) this.wakeNoLaterThan(readyAt);
      return;
    }
    backoff.next(key, finishedAt);
    // Like the kubelet, report the exit before acting on it: the pod turns not-Ready (with a new
    // transition time) even when the restart follows at once, so a crash loop never looks
    // continuously Ready (which minReadySeconds would count as available).
    await this.writeStatus(pod);
    await this.start(pod, container, exited.attempt + 1, place);
  }

  private async start(pod: PodObject, container: Container, attempt: number, place: StartPlace): Promise<void> {
    const { runtime, starter } = this.deps;
    const { sandbox, volumes, podIP } = place;
    if (!sandbox || !volumes) return;
    const hostsFile = this.deps.manageEtcHosts === true && podIP !== undefined
      ? await writeHostsFile({
        podDir: podDir(this.deps.dataDir, this.uid), pod, podIP, clusterDomain: this.deps.dns?.clusterDomain ?? 'cluster.local',
        ...(runtime.capabilities.podHostnames === false ? { sharedHostname: hostname() } : {}),
      })
      : undefined;
    const result = await starter.start({
      pod, container, sandboxId: sandbox.id, attempt, volumes, logDirectory: place.logDirectory,
      hostIP: this.deps.hostIP, ...(podIP ? { podIP } : {}), ...(hostsFile !== undefined ? { hostsFile } : {}),
    });
    if (!result.ok) {
      this.waiting.set(container.name, { reason: result.reason, message: result.message });
      // An image pull back-off: come back when the next pull is allowed.
      if (result.retryAt !== undefined) this.wakeNoLaterThan(result.retryAt);
      // A container that was created but failed to start is still a record (exited: StartError).
      const created = (await runtime.listContainers({ sandboxId: sandbox.id })).filter((c) => c.name === container.name && c.attempt === attempt);
      for (const c of created) this.records.add(c);
      return;
    }
    this.imageRefs.set(container.name, result.imageRef);
    this.records.add(await runtime.containerStatus(result.containerId));
    await this.records.pruneOld(runtime);
    const { killer, recorder, logger } = this.deps;
    const failure = await runPostStartHook({ runtime, recorder, killer, logger }, {
      pod, container, containerId: result.containerId, hostIP: this.deps.hostIP, ...(podIP ? { podIP } : {}),
    });
    if (failure === undefined) return;
    const killed = await runtime.containerStatus(result.containerId);
    this.records.add(killed);
    // As upstream, the hook's message shows as the waiting reason of a container that will restart.
    if (shouldRestart(pod, container, killed.exitCode)) this.waiting.set(container.name, { reason: POST_START_HOOK_ERROR, message: failure });
  }
}

// One pod's sync: desired (the pod spec) against actual (the runtime), one pass at a time, as
// kubelet's SyncPod: volumes, sandbox, init containers in order (sidecars: sidecar-plan.ts), app
// containers, postStart hooks, restarts by restartPolicy with CrashLoopBackOff, probes, then the
// status. Deletion (deletionTimestamp) is graceful: preStop, stop with the remaining grace (sidecars
// last: termination-order.ts), sandbox removed, then the pod object deleted with
// gracePeriodSeconds 0 (the registry keeps bound pods until then).
import { rm } from 'node:fs/promises';
import type { Container } from 'kubernetes-types/core/v1.js';
import type { PodObject } from './object-types.js';
import { PODS } from '../client/resource-types.js';
import { NotFoundError, ConflictError } from '../lib/errors.js';
import { formatGoDuration } from './backoff.js';
import { observeContainer } from './container-observation.js';
import { ContainerRecords } from './container-records.js';
import { podRef } from './lifecycle-handler.js';
import { POST_START_HOOK_ERROR, runPostStartHook } from './post-start-hook.js';
import type { PodSyncDeps } from './pod-sync-deps.js';
import { computePodStatus, type ContainerObservation } from './pod-status.js';
import { ensureSandbox } from './pod-sandbox.js';
import { podDir, prepareVolumes, VolumeError } from './pod-volumes.js';
import { PodProbes, type RunningContainer } from './probes/pod-probes.js';
import { initCompleted, isInitialized, isPodDone, isSidecar, shouldRestart } from './sidecar-plan.js';
import { stopInOrder, type StopTarget } from './termination-order.js';
import { unmountUnder } from './tmpfs-mount.js';
import type { ContainerStatus, SandboxStatus } from './runtime/runtime.js';
import path from 'node:path';

export interface SyncOutcome {
  /** Sync again after this many ms (undefined: only when the pod changes). */
  readonly nextSyncMs?: number;
  /** Nothing of the pod is left on this node: the worker can go. */
  readonly finished: boolean;
}

export interface Adopted {
  readonly sandbox?: SandboxStatus;
  readonly containers?: readonly ContainerStatus[];
}

type Waiting = { readonly reason: string; readonly message: string };

export class PodSync {
  readonly uid: string;
  private readonly deps: PodSyncDeps;
  private readonly records: ContainerRecords;
  private readonly probes: PodProbes;
  private readonly imageRefs = new Map<string, string>();
  private waiting = new Map<string, Waiting>();
  private sandbox: SandboxStatus | undefined;
  private sandboxAttempt = 0;
  private volumes: Map<string, string> | undefined;
  private lastPod: PodObject | undefined;
  private tornDown = false;
  /** Earliest time (ms) something waits for: a back-off expiring. */
  private wakeAt: number | undefined;
  /** A sidecar the init sequence waits on to pass its startup probe (sync again as soon as it does). */
  private gate: { readonly container: Container; readonly id: string } | undefined;

  constructor(deps: PodSyncDeps, options: { uid: string; adopted?: Adopted }) {
    this.deps = deps;
    this.uid = options.uid;
    this.sandbox = options.adopted?.sandbox;
    this.records = new ContainerRecords(options.adopted?.containers ?? []);
    this.probes = new PodProbes({ clock: deps.clock, execute: deps.probeExecutor });
  }

  /** One pass. `pod` undefined: the pod object is gone from the API. */
  async sync(input: PodObject | undefined): Promise<SyncOutcome> {
    if (!input) {
      await this.tearDown(this.lastPod, 0);
      return { finished: true };
    }
    const pod = this.deps.statusWriter.freshest(input);
    this.lastPod = pod;
    if (pod.metadata?.deletionTimestamp) {
      await this.terminate(pod);
      return { finished: false };
    }
    this.waiting = new Map();
    this.wakeAt = undefined;
    this.gate = undefined;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      // Finished pods run nothing more; keep their containers' final state for status and logs.
      if (this.sandbox?.state === 'ready') await this.deps.runtime.stopPodSandbox(this.sandbox.id);
      await this.records.refresh(this.deps.runtime);
      await this.writeStatus(pod);
      return { finished: false };
    }
    const ready = await this.prepare(pod);
    // The records are re-read before acting (to see exits) and again after, for the status; when
    // nothing was started the second read would repeat the first a moment later. With many pods
    // that repeat was most of the agent's steady-state CRI traffic (ContainerStatus per container
    // per resync).
    let fresh = false;
    if (ready) {
      await this.records.refresh(this.deps.runtime);
      fresh = !(await this.syncContainers(pod));
    }
    if (!fresh) await this.records.refresh(this.deps.runtime);
    const killed = ready ? await this.runProbes(pod) : false;
    if (killed) await this.records.refresh(this.deps.runtime);
    await this.writeStatus(pod);
    return { finished: false, ...this.nextSync(pod, killed) };
  }

  /** Stops and removes the pod's containers and sandbox without touching the pod object. */
  async shutdown(): Promise<void> {
    const pod = this.lastPod;
    await this.tearDown(pod, pod?.spec?.terminationGracePeriodSeconds ?? 30);
  }

  /** Log file of the container's current (or previous) attempt, for the log server. */
  async logPath(containerName: string, previous: boolean): Promise<string | undefined> {
    await this.records.refresh(this.deps.runtime);
    return (previous ? this.records.previous(containerName) : this.records.current(containerName))?.logPath;
  }

  private nextSync(pod: PodObject, killed: boolean): { nextSyncMs?: number } {
    if (killed) return { nextSyncMs: 0 };
    // The sidecar the init sequence waited on just started: the next container may go now.
    if (this.gate && this.probes.started(this.gate.container, this.gate.id)) return { nextSyncMs: 0 };
    const now = this.deps.clock.now().getTime();
    let next = now + this.deps.resyncMs;
    const probeDue = this.probes.nextDueAt(this.running(pod));
    if (probeDue !== undefined) next = Math.min(next, probeDue);
    if (this.wakeAt !== undefined) next = Math.min(next, this.wakeAt);
    return { nextSyncMs: Math.max(0, next - now) };
  }

  /** Volumes and sandbox; false when the pod cannot start containers yet. */
  private async prepare(pod: PodObject): Promise<boolean> {
    const { runtime, recorder } = this.deps;
    if (!this.volumes) {
      try {
        this.volumes = await prepareVolumes({
          pod, dataDir: this.deps.dataDir, source: this.deps.source, hostIP: this.deps.hostIP,
          warn: (reason, message) => recorder.event(pod, 'Warning', reason, message),
        });
      } catch (error) {
        if (!(error instanceof VolumeError)) throw error;
        recorder.event(pod, 'Warning', 'FailedMount', error.message);
        return false;
      }
    }
    const ensured = await ensureSandbox({
      runtime, recorder, pod, uid: this.uid, logDirectory: this.logDirectory(), sandbox: this.sandbox, attempt: this.sandboxAttempt,
    });
    this.sandbox = ensured.sandbox;
    this.sandboxAttempt = ensured.attempt;
    return ensured.ready;
  }

  private logDirectory(): string {
    return path.join(podDir(this.deps.dataDir, this.uid), 'logs');
  }

  private podIP(pod: PodObject): string | undefined {
    if (pod.spec?.hostNetwork) return this.deps.hostIP;
    return this.sandbox?.ip;
  }

  /** The next attempt number: after the newest runtime attempt, else after what the pod status remembers. */
  private nextAttempt(pod: PodObject, container: Container): number {
    const current = this.records.current(container.name);
    if (current) return current.attempt + 1;
    const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
    const known = statuses.find((s) => s.name === container.name);
    return known?.containerID ? known.restartCount + 1 : 0;
  }

  /** Starts what should run; true when it asked the runtime for anything (or may have). */
  private async syncContainers(pod: PodObject): Promise<boolean> {
    const current = (name: string): ContainerStatus | undefined => this.records.current(name);
    if (isPodDone(pod, current)) return this.stopSidecars(pod);
    const initialized = isInitialized(pod, current, this.sandbox?.id);
    let acted = false;
    for (const container of pod.spec?.initContainers ?? []) {
      const sidecar = isSidecar(container);
      if (!sidecar && (initialized || initCompleted(container, current(container.name)))) continue;
      if (await this.syncContainer(pod, container)) acted = true;
      if (initialized) continue;
      // Init containers go one at a time, in order: the next waits for this one to exit 0, or
      // for this sidecar to be started.
      const attempt = current(container.name);
      if (!sidecar || attempt?.state !== 'running') return acted;
      if (!this.probes.started(container, attempt.id)) {
        this.gate = { container, id: attempt.id };
        return acted;
      }
    }
    for (const container of pod.spec?.containers ?? []) {
      if (await this.syncContainer(pod, container)) acted = true;
    }
    return acted;
  }

  /** A finished Job-like pod: its sidecars are stopped (last declared first), never restarted. */
  private async stopSidecars(pod: PodObject): Promise<boolean> {
    const targets = this.runningTargets((pod.spec?.initContainers ?? []).filter(isSidecar));
    await this.stopTargets(pod, targets, pod.spec?.terminationGracePeriodSeconds ?? 30);
    return targets.length > 0;
  }

  private async stopTargets(pod: PodObject, targets: readonly StopTarget[], graceSeconds: number): Promise<void> {
    if (targets.length === 0) return;
    const podIP = this.podIP(pod);
    await stopInOrder({ killer: this.deps.killer, pod, targets, graceSeconds, hostIP: this.deps.hostIP, ...(podIP ? { podIP } : {}) });
  }

  private runningTargets(containers: readonly Container[]): RunningContainer[] {
    const out: RunningContainer[] = [];
    for (const container of containers) {
      const current = this.records.current(container.name);
      if (current?.state === 'running') out.push({ container, id: current.id, startedAt: current.startedAt ?? current.createdAt });
    }
    return out;
  }

  private async syncContainer(pod: PodObject, container: Container): Promise<boolean> {
    const current = this.records.current(container.name);
    if (!current) await this.start(pod, container, this.nextAttempt(pod, container));
    else if (current.state === 'created') await this.deps.runtime.startContainer(current.id);
    else if (current.state === 'exited' && shouldRestart(pod, container, current.exitCode)) await this.restartWithBackoff(pod, container, current);
    else return false;
    return true;
  }

  private async restartWithBackoff(pod: PodObject, container: Container, exited: ContainerStatus): Promise<void> {
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
      if (readyAt !== undefined && (this.wakeAt === undefined || readyAt < this.wakeAt)) this.wakeAt = readyAt;
      return;
    }
    backoff.next(key, finishedAt);
    // Like the kubelet, report the exit before acting on it: the pod turns not-Ready (with a new
    // transition time) even when the restart follows at once, so a crash loop never looks
    // continuously Ready (which minReadySeconds would count as available).
    await this.writeStatus(pod);
    await this.start(pod, container, exited.attempt + 1);
  }

  private async start(pod: PodObject, container: Container, attempt: number): Promise<void> {
    const { runtime, starter } = this.deps;
    const sandbox = this.sandbox;
    if (!sandbox || !this.volumes) return;
    const podIP = this.podIP(pod);
    const result = await starter.start({
      pod, container, sandboxId: sandbox.id, attempt, volumes: this.volumes, logDirectory: this.logDirectory(),
      hostIP: this.deps.hostIP, ...(podIP ? { podIP } : {}),
    });
    if (!result.ok) {
      this.waiting.set(container.name, { reason: result.reason, message: result.message });
      // An image pull back-off: come back when the next pull is allowed.
      if (result.retryAt !== undefined && (this.wakeAt === undefined || result.retryAt < this.wakeAt)) this.wakeAt = result.retryAt;
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

  /** Running app containers and sidecars: the containers whose probes run. */
  private running(pod: PodObject): RunningContainer[] {
    return this.runningTargets([...(pod.spec?.initContainers ?? []).filter(isSidecar), ...(pod.spec?.containers ?? [])]);
  }

  /** Runs due probes; kills containers whose liveness/startup probe failed. True when it killed. */
  private async runProbes(pod: PodObject): Promise<boolean> {
    const { recorder } = this.deps;
    const podIP = this.podIP(pod);
    const round = await this.probes.runDue(this.running(pod), { hostIP: this.deps.hostIP, ...(podIP ? { podIP } : {}) });
    for (const failure of round.failures) recorder.event(pod, 'Warning', 'Unhealthy', failure.message);
    for (const { container: name, type } of round.kill) {
      const container = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((c) => c.name === name);
      const current = this.records.current(name);
      if (!container || !current) continue;
      await this.deps.killer.kill({
        pod, container, containerId: current.id, graceSeconds: pod.spec?.terminationGracePeriodSeconds ?? 30,
        message: `Container ${name} failed ${type} probe, will be restarted`, hostIP: this.deps.hostIP, ...(podIP ? { podIP } : {}),
      });
    }
    return round.kill.length > 0;
  }

  private observe(pod: PodObject, container: Container, isInit: boolean): ContainerObservation {
    const { name } = container;
    const [current, previous, waiting, imageRef] = [this.records.current(name), this.records.previous(name), this.waiting.get(name), this.imageRefs.get(name)];
    return observeContainer(pod, container, isInit, {
      ...(current ? { current } : {}), ...(previous ? { previous } : {}), ...(waiting ? { waiting } : {}), ...(imageRef ? { imageRef } : {}),
      started: (c, id) => this.probes.started(c, id), ready: (c, id) => this.probes.ready(c, id),
    });
  }

  private async writeStatus(pod: PodObject, terminating = false): Promise<void> {
    const podIP = this.podIP(pod);
    await this.deps.statusWriter.write(pod, (fresh) => computePodStatus({
      pod: fresh,
      now: this.deps.clock.now(),
      runtimeName: this.deps.runtime.name,
      hostIP: this.deps.hostIP,
      ...(podIP ? { podIP } : {}),
      sandboxReady: !terminating && this.sandbox?.state === 'ready',
      initContainers: (fresh.spec?.initContainers ?? []).map((c) => this.observe(fresh, c, true)),
      containers: (fresh.spec?.containers ?? []).map((c) => this.observe(fresh, c, false)),
      terminating,
    }));
  }

  /** Graceful deletion: stop everything within the grace period, then finish the pod's deletion. */
  private async terminate(pod: PodObject): Promise<void> {
    if (!this.tornDown) {
      const grace = pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
      await this.tearDown(pod, grace);
    }
    try {
      await this.deps.clients.resource<PodObject>(PODS).delete(pod.metadata?.namespace, pod.metadata?.name ?? '', {
        gracePeriodSeconds: 0,
        preconditions: { uid: this.uid },
      });
    } catch (error) {
      // Gone already, or a different pod of the same name now: nothing of ours to delete.
      if (!(error instanceof NotFoundError) && !(error instanceof ConflictError)) throw error;
    }
  }

  /** Stops and removes everything of the pod on this node (pod undefined: only the runtime side). */
  private async tearDown(pod: PodObject | undefined, graceSeconds: number): Promise<void> {
    if (this.tornDown) return;
    const { runtime } = this.deps;
    if (!this.sandbox) {
      this.sandbox = (await runtime.listPodSandboxes()).find((s) => s.podUid === this.uid);
    }
    await this.records.refresh(runtime);
    const targets = pod ? this.runningTargets([...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) : [];
    // Containers the spec does not name (the pod object is gone, or it changed) just stop.
    const strays = this.records.all().filter((c) => c.state === 'running' && !targets.some((t) => t.id === c.id));
    await Promise.all([...strays.map((c) => runtime.stopContainer(c.id, graceSeconds)), pod && this.stopTargets(pod, targets, graceSeconds)]);
    if (this.sandbox) await runtime.stopPodSandbox(this.sandbox.id);
    await this.records.refresh(runtime);
    if (pod) await this.writeStatus(pod, true);
    if (this.sandbox) await runtime.removePodSandbox(this.sandbox.id);
    for (const c of this.records.all()) {
      try {
        await runtime.removeContainer(c.id);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    this.records.clear();
    this.sandbox = undefined;
    this.deps.backoff.forgetPrefix(`${this.uid}/`);
    this.deps.statusWriter.forget(this.uid);
    // Memory-backed volumes (tmpfs) are unmounted first: rm cannot remove a mount point.
    await unmountUnder(podDir(this.deps.dataDir, this.uid));
    await rm(podDir(this.deps.dataDir, this.uid), { recursive: true, force: true });
    this.tornDown = true;
  }
}
